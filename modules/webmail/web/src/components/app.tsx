import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nContext, initialLanguage, rememberLanguage, translator, type Language } from '../i18n/i18n.js';
import { clearSession, loadSession, saveSession, type StoredSession } from '../logic/session-store.js';
import { LoginForm } from './login-form.js';
import { MailApp } from './mail-app.js';

/** Language, session and the choice between the sign-in form and the mail view. */
export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<StoredSession | null>(() => loadSession(localStorage));
  const [notice, setNotice] = useState<'sessionExpired' | null>(null);

  const setLanguage = useCallback((next: Language) => {
    rememberLanguage(next);
    setLanguageState(next);
  }, []);
  const i18n = useMemo(() => ({ language, t: translator(language), setLanguage }), [language, setLanguage]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = i18n.t('appName');
  }, [language, i18n]);

  const signedIn = useCallback((next: StoredSession) => {
    saveSession(localStorage, next);
    setNotice(null);
    setSession(next);
  }, []);
  const signedOut = useCallback((expired: boolean) => {
    clearSession(localStorage);
    setNotice(expired ? 'sessionExpired' : null);
    setSession(null);
    history.replaceState(null, '', '#/');
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      {session
        ? <MailApp key={session.token} session={session} onSignedOut={signedOut} />
        : <LoginForm notice={notice} onSignedIn={signedIn} />}
    </I18nContext.Provider>
  );
}
