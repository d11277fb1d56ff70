import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/graphql-client.js';
import { currentAccount } from '../api/mail-api.js';
import { csrfToken, forgetCsrfCookie } from '../api/web-session.js';
import { I18nContext, initialLanguage, rememberLanguage, translator, type Language } from '../i18n/i18n.js';
import { clearSession, dropLegacyToken, type WebSession } from '../logic/session-store.js';
import { securityApi } from '../api/security-api.js';
import { LoginForm } from './login-form.js';
import { MailApp } from './mail-app.js';
import { SECURITY_HASH, SecuritySettings } from './security/index.js';

type SessionState =
  | { phase: 'restoring' }
  | { phase: 'signedOut'; notice: 'sessionExpired' | null }
  | { phase: 'signedIn'; session: WebSession; generation: number };

/** Language, session and the choice between the sign-in form and the mail view. */
export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  // With a csrf cookie there may be a session cookie too: ask the server whose it is before showing anything.
  const [state, setState] = useState<SessionState>(() => (csrfToken() ? { phase: 'restoring' } : { phase: 'signedOut', notice: null }));

  const setLanguage = useCallback((next: Language) => {
    rememberLanguage(next);
    setLanguageState(next);
  }, []);
  const i18n = useMemo(() => ({ language, t: translator(language), setLanguage }), [language, setLanguage]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = i18n.t('appName');
  }, [language, i18n]);

  const signedIn = useCallback((session: WebSession) => {
    setState((previous) => ({ phase: 'signedIn', session, generation: previous.phase === 'signedIn' ? previous.generation + 1 : 0 }));
  }, []);
  const signedOut = useCallback((expired: boolean) => {
    clearSession(localStorage);
    forgetCsrfCookie();
    setState({ phase: 'signedOut', notice: expired ? 'sessionExpired' : null });
    history.replaceState(null, '', '#/');
  }, []);

  useEffect(() => dropLegacyToken(localStorage), []);

  const [securityShown, setSecurityShown] = useState(() => location.hash === SECURITY_HASH);
  useEffect(() => {
    // The event's own URL: the mail view's listener may already have replaced location.hash with its folder.
    const followHash = (event: HashChangeEvent) => setSecurityShown(new URL(event.newURL).hash === SECURITY_HASH);
    // Back to an entry the mail view made with pushState fires popstate only.
    const followHistory = () => setSecurityShown(location.hash === SECURITY_HASH);
    window.addEventListener('hashchange', followHash);
    window.addEventListener('popstate', followHistory);
    return () => {
      window.removeEventListener('hashchange', followHash);
      window.removeEventListener('popstate', followHistory);
    };
  }, []);

  // A domain that requires two-factor sign-in holds a session without it on the enrolment until it is on.
  const [enrolmentRequired, setEnrolmentRequired] = useState(false);
  const signedInGeneration = state.phase === 'signedIn' ? state.generation : -1;
  useEffect(() => {
    if (signedInGeneration < 0) return;
    securityApi.status().then(
      (status) => setEnrolmentRequired(status.required && !status.enabled),
      () => setEnrolmentRequired(false),
    );
  }, [signedInGeneration]);
  const showSecurity = state.phase === 'signedIn' && (securityShown || enrolmentRequired);

  const restoring = state.phase === 'restoring';
  useEffect(() => {
    if (!restoring) return;
    currentAccount().then(
      (account) => signedIn({ account }),
      (error: unknown) => {
        if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') signedOut(true);
        else setState({ phase: 'signedOut', notice: null });
      },
    );
  }, [restoring, signedIn, signedOut]);

  return (
    <I18nContext.Provider value={i18n}>
      {showSecurity && (
        <SecuritySettings
          onBack={enrolmentRequired ? undefined : () => history.back()}
          onStatus={(status) => setEnrolmentRequired(status.required && !status.enabled)}
        />
      )}
      {state.phase === 'signedIn' && !showSecurity && <MailApp key={state.generation} session={state.session} onSignedOut={signedOut} />}
      {state.phase === 'signedOut' && <LoginForm notice={state.notice} onSignedIn={signedIn} />}
    </I18nContext.Provider>
  );
}
