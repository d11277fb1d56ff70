import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/graphql-client.js';
import { currentAccount } from '../api/mail-api.js';
import { csrfToken, forgetCsrfCookie } from '../api/web-session.js';
import { I18nContext, initialLanguage, rememberLanguage, translator, type Language } from '../i18n/i18n.js';
import { clearSession, dropLegacyToken, type WebSession } from '../logic/session-store.js';
import { LoginForm } from './login-form.js';
import { MailApp } from './mail-app.js';

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
      {state.phase === 'signedIn' && <MailApp key={state.generation} session={state.session} onSignedOut={signedOut} />}
      {state.phase === 'signedOut' && <LoginForm notice={state.notice} onSignedIn={signedIn} />}
    </I18nContext.Provider>
  );
}
