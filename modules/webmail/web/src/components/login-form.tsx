import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/graphql-client.js';
import { login } from '../api/mail-api.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import type { WebSession } from '../logic/session-store.js';
import { LanguageSwitch } from './language-switch.js';

const ERRORS: Record<string, MessageKey> = {
  INVALID_CREDENTIALS: 'invalidCredentials',
  LOCKED: 'locked',
  ACCOUNT_DISABLED: 'accountDisabled',
  NETWORK: 'networkError',
};

/** A plain form with the standard autocomplete names, so password managers fill and save it. */
export function LoginForm({ notice, onSignedIn }: { notice: 'sessionExpired' | null; onSignedIn: (session: WebSession) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { account } = await login(String(form.get('email') ?? '').trim(), String(form.get('password') ?? ''));
      onSignedIn({ account });
    } catch (caught) {
      setError(ERRORS[caught instanceof ApiError ? caught.code : 'NETWORK'] ?? 'invalidCredentials');
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" method="post" action="#" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span className="logo" aria-hidden="true">
            ✉
          </span>{' '}
          {t('appName')}
        </h1>
        {notice && !error && (
          <p className="notice" role="status">
            {t(notice)}
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {t(error)}
          </p>
        )}
        <label htmlFor="login-email">{t('email')}</label>
        <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus inputMode="email" />
        <label htmlFor="login-password">{t('password')}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
        <div className="login-footer">
          <LanguageSwitch />
        </div>
      </form>
    </main>
  );
}
