import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/graphql-client.js';
import { login } from '../api/mail-api.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import type { WebSession } from '../logic/session-store.js';
import { LanguageSwitch } from './language-switch.js';
import { useSecurityText } from './security/security-messages.js';

const ERRORS: Record<string, MessageKey> = {
  INVALID_CREDENTIALS: 'invalidCredentials',
  LOCKED: 'locked',
  ACCOUNT_DISABLED: 'accountDisabled',
  NETWORK: 'networkError',
};

/** The address and password, kept between the first step and the code of two-factor sign-in. */
interface Credentials {
  email: string;
  password: string;
}

/**
 * A plain form with the standard autocomplete names, so password managers fill and save it. With two-factor sign-in
 * on, a second form asks for the code (autocomplete one-time-code) and signs in with the three together.
 */
export function LoginForm({ notice, onSignedIn }: { notice: 'sessionExpired' | null; onSignedIn: (session: WebSession) => void }) {
  const { t } = useI18n();
  const text = useSecurityText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Credentials | null>(null);

  const attempt = async (credentials: Credentials, code: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const { account } = await login(credentials.email, credentials.password, code);
      onSignedIn({ account });
    } catch (caught) {
      const codeOf = caught instanceof ApiError ? caught.code : 'NETWORK';
      if (codeOf === 'SECOND_FACTOR_REQUIRED') setPending(credentials);
      else if (codeOf === 'INVALID_SECOND_FACTOR') setError(text('invalidCode'));
      else {
        // A lockout or a refusal during the second step starts the sign-in again.
        setPending(null);
        setError(t(ERRORS[codeOf] ?? 'invalidCredentials'));
      }
      setBusy(false);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (pending) void attempt(pending, String(form.get('code') ?? '').trim());
    else void attempt({ email: String(form.get('email') ?? '').trim(), password: String(form.get('password') ?? '') }, null);
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
        {notice && !error && !pending && (
          <p className="notice" role="status">
            {t(notice)}
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {pending ? (
          <>
            <p className="notice">{text('signInCode')}</p>
            <label htmlFor="login-code">{text('codeOrRecovery')}</label>
            <input id="login-code" name="code" autoComplete="one-time-code" maxLength={32} required autoFocus key="code" />
          </>
        ) : (
          <>
            <label htmlFor="login-email">{t('email')}</label>
            <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus inputMode="email" />
            <label htmlFor="login-password">{t('password')}</label>
            <input id="login-password" name="password" type="password" autoComplete="current-password" required />
          </>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signingIn') : pending ? text('verify') : t('signIn')}
        </button>
        {pending && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setPending(null);
              setError(null);
            }}
          >
            {text('cancel')}
          </button>
        )}
        <div className="login-footer">
          <LanguageSwitch />
        </div>
      </form>
    </main>
  );
}
