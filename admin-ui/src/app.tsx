import { createContext, useContext, useEffect, useState, type FormEvent } from 'react';
import {
  adminLogin,
  adminMe,
  ApiError,
  csrfToken,
  logout,
  setupStatus,
  signOutEverywhere,
  whenSessionEnds,
  type AdminIdentity,
} from './api.js';
import { AuditPage } from './audit-page.js';
import { BackupsPage } from './backups-page.js';
import { DashboardPage } from './dashboard-page.js';
import { DomainsPage } from './domains-page.js';
import { initialLanguage, messagesOf, rememberLanguage, roleLabel, type Language, type Messages } from './i18n.js';
import { QueuePage } from './queue-page.js';
import { SettingsPage } from './settings-page.js';
import { SetupWizard } from './setup-wizard.js';
import { TracePage } from './trace-page.js';
import { UsersPage } from './users-page.js';

export const TextContext = createContext<Messages>(messagesOf('en'));
export const useTexts = (): Messages => useContext(TextContext);

type Route = 'dashboard' | 'users' | 'domains' | 'queue' | 'trace' | 'audit' | 'backups' | 'settings';
const ROUTES: Route[] = ['dashboard', 'users', 'domains', 'queue', 'trace', 'audit', 'backups', 'settings'];
/** Pages with server-wide figures, mail of every domain, or settings: system admins only. */
const SYSTEM_ROUTES: Route[] = ['dashboard', 'queue', 'trace', 'backups', 'settings'];

function routeOf(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as string[]).includes(name) ? (name as Route) : null;
}

function routesOf(admin: AdminIdentity): Route[] {
  return admin.role === 'system_admin' ? ROUTES : ROUTES.filter((route) => !SYSTEM_ROUTES.includes(route));
}

/** The text for a refusal of the API, in the admin's language. */
export function errorText(t: Messages, error: unknown): string {
  if (!(error instanceof ApiError)) return String(error instanceof Error ? error.message : error);
  if (error.code === 'INVALID_CREDENTIALS') return t.badLogin;
  if (error.code === 'ACCOUNT_DISABLED') return t.notAdmin;
  if (error.code === 'LOCKED') return t.locked;
  if (error.code === 'FORBIDDEN') return t.forbidden;
  if (error.code === 'INVALID_SECOND_FACTOR') return t.invalidCode;
  if (error.code === 'TWO_FACTOR_SETUP_REQUIRED') return t.twoFactorSetupRequired;
  return error.message;
}

function LanguageSwitch({ language, onChange }: { language: Language; onChange: (language: Language) => void }) {
  const t = useTexts();
  return (
    <select aria-label={t.language} className="language" value={language} onChange={(event) => onChange(event.target.value as Language)}>
      <option value="en">English</option>
      <option value="zh-CN">简体中文</option>
    </select>
  );
}

function LoginForm({ onSignedIn, languageSwitch }: { onSignedIn: (admin: AdminIdentity) => void; languageSwitch: React.ReactNode }) {
  const t = useTexts();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // With two-factor sign-in on, the address and password wait here while the code is asked for.
  const [pending, setPending] = useState<{ email: string; password: string } | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const credentials = pending ?? { email: String(form.get('email')), password: String(form.get('password')) };
    setBusy(true);
    setError('');
    try {
      onSignedIn(await adminLogin(credentials.email, credentials.password, pending ? String(form.get('code')).trim() : null));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'SECOND_FACTOR_REQUIRED') setPending(credentials);
      else {
        if (!(caught instanceof ApiError && caught.code === 'INVALID_SECOND_FACTOR')) setPending(null);
        setError(errorText(t, caught));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t.title}</h1>
        {pending ? (
          <>
            <label htmlFor="code">{t.twoFactorCode}</label>
            <input id="code" name="code" autoComplete="one-time-code" maxLength={32} required autoFocus key="code" />
          </>
        ) : (
          <>
            <label htmlFor="email">{t.email}</label>
            <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
            <label htmlFor="password">{t.password}</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {pending ? t.verify : t.signIn}
        </button>
        <div className="login-footer">{languageSwitch}</div>
      </form>
    </main>
  );
}

export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [admin, setAdmin] = useState<AdminIdentity | null>(null);
  const [checking, setChecking] = useState(true);
  const [setup, setSetup] = useState<{ tokenRequired: boolean } | null>(null);
  const [route, setRoute] = useState<Route | null>(routeOf(location.hash));
  const t = messagesOf(language);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t.title;
  }, [language, t.title]);

  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    whenSessionEnds(() => setAdmin(null));
    const signedIn = csrfToken() ? adminMe().then(setAdmin, () => undefined) : Promise.resolve();
    const firstRun = setupStatus().then(
      (status) => setSetup(status.needed ? { tokenRequired: status.tokenRequired } : null),
      () => undefined,
    );
    void Promise.all([signedIn, firstRun]).finally(() => setChecking(false));
  }, []);

  const changeLanguage = (next: Language) => {
    rememberLanguage(next);
    setLanguage(next);
  };
  const languageSwitch = <LanguageSwitch language={language} onChange={changeLanguage} />;

  if (checking)
    return (
      <TextContext.Provider value={t}>
        <p className="notice">{t.loading}</p>
      </TextContext.Provider>
    );
  if (!admin && setup) {
    const finished = (created: AdminIdentity) => {
      setSetup(null);
      setAdmin(created);
    };
    return (
      <TextContext.Provider value={t}>
        <SetupWizard tokenRequired={setup.tokenRequired} onDone={finished} languageSwitch={languageSwitch} />
      </TextContext.Provider>
    );
  }
  if (!admin)
    return (
      <TextContext.Provider value={t}>
        <LoginForm onSignedIn={setAdmin} languageSwitch={languageSwitch} />
      </TextContext.Provider>
    );

  const signOut = async () => {
    await logout().catch(() => undefined);
    setAdmin(null);
  };
  const signOutAll = async () => {
    await signOutEverywhere().catch(() => undefined);
    setAdmin(null);
  };

  const routes = routesOf(admin);
  const page: Route = route && routes.includes(route) ? route : 'users';

  return (
    <TextContext.Provider value={t}>
      <div className="shell">
        <header className="topbar">
          <span className="brand">
            Mailhive <span>WebAdmin</span>
          </span>
          <nav aria-label={t.title}>
            {routes.map((name) => (
              <a key={name} href={`#/${name}`} aria-current={page === name ? 'page' : undefined}>
                {t[name]}
              </a>
            ))}
          </nav>
          <div className="account">
            <span className="who" title={t.signedInAs}>
              {admin.address} · {roleLabel(t, admin.role)}
              {admin.domains.length > 0 ? ` (${admin.domains.join(', ')})` : ''}
            </span>
            {languageSwitch}
            <button type="button" onClick={signOut}>
              {t.signOut}
            </button>
            <button type="button" onClick={signOutAll}>
              {t.signOutEverywhere}
            </button>
          </div>
        </header>
        <main className="content">
          {page === 'dashboard' && <DashboardPage />}
          {page === 'users' && <UsersPage admin={admin} />}
          {page === 'domains' && <DomainsPage admin={admin} />}
          {page === 'queue' && <QueuePage />}
          {page === 'trace' && <TracePage />}
          {page === 'audit' && <AuditPage />}
          {page === 'backups' && <BackupsPage />}
          {page === 'settings' && <SettingsPage />}
        </main>
      </div>
    </TextContext.Provider>
  );
}
