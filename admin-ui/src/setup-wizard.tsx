import { useState, type FormEvent, type ReactNode } from 'react';
import { runSetup, type AdminIdentity } from './api.js';
import { errorText, useTexts } from './app.js';
import { DnsRecords } from './dns-records.js';

/**
 * The first run: host name, first domain and first system admin, then the DNS records to publish. The server
 * signs the new admin in; "Continue" opens WebAdmin.
 */
export function SetupWizard({
  tokenRequired,
  onDone,
  languageSwitch,
}: {
  tokenRequired: boolean;
  onDone: (admin: AdminIdentity) => void;
  languageSwitch: ReactNode;
}) {
  const t = useTexts();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ admin: AdminIdentity; domain: string } | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const domain = String(form.get('domain')).trim().toLowerCase();
    if (String(form.get('password')) !== String(form.get('confirm'))) {
      setError(t.passwordsDiffer);
      return;
    }
    setBusy(true);
    setError('');
    try {
      const admin = await runSetup({
        ...(tokenRequired ? { token: String(form.get('token')).trim() } : {}),
        hostname: String(form.get('hostname')).trim(),
        domain,
        address: `${String(form.get('local')).trim()}@${domain}`,
        password: String(form.get('password')),
      });
      setDone({ admin, domain });
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <main className="setup">
        <div className="card setup-card">
          <h1>{t.setupDone}</h1>
          <p>{t.setupPublish}</p>
          <DnsRecords domain={done.domain} />
          <div className="buttons">
            <button type="button" className="primary" onClick={() => onDone(done.admin)}>
              {t.continueToAdmin}
            </button>
          </div>
        </div>
      </main>
    );
  }
  return (
    <main className="setup">
      <form className="card setup-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">{t.setupTitle}</h1>
        <p className="muted">{t.setupIntro}</p>
        {tokenRequired && (
          <label>
            {t.setupToken}
            <input name="token" type="text" required autoComplete="off" maxLength={128} />
            <span className="muted">{t.setupTokenHint}</span>
          </label>
        )}
        <label>
          {t.hostname}
          <input name="hostname" type="text" required placeholder="mail.example.org" maxLength={253} autoFocus />
        </label>
        <label>
          {t.firstDomain}
          <input name="domain" type="text" required placeholder="example.org" maxLength={253} />
        </label>
        <label>
          {t.adminName}
          <input name="local" type="text" required defaultValue="postmaster" maxLength={64} />
        </label>
        <label>
          {t.password}
          <input name="password" type="password" required minLength={8} autoComplete="new-password" />
        </label>
        <label>
          {t.confirmPassword}
          <input name="confirm" type="password" required minLength={8} autoComplete="new-password" />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {t.setupSubmit}
        </button>
        <div className="login-footer">{languageSwitch}</div>
      </form>
    </main>
  );
}
