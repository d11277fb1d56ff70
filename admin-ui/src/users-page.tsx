import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  createUser,
  deleteUser,
  listUsers,
  resetPassword,
  unlockUser,
  resetTwoFactor,
  updateUser,
  type AdminIdentity,
  type AdminUser,
  type UserSort,
  type UserUpdate,
} from './api.js';
import { errorText, useTexts } from './app.js';
import { formatBytes, roleLabel } from './i18n.js';
import { Feedback } from './feedback.js';
import { UserImport } from './user-import.js';

const PAGE_SIZE = 25;
const MB = 1024 * 1024;
const PROTOCOLS = ['smtp', 'imap', 'pop3', 'webmail', 'mobile'] as const;

/** `YYYY-MM-DD` of an instant, for a date input (UTC, as the server keeps it). */
const dateOf = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');

interface Query {
  search: string;
  sort: UserSort;
  descending: boolean;
  offset: number;
}

function SortHeader({
  label,
  column,
  query,
  onSort,
}: {
  label: string;
  column: UserSort;
  query: Query;
  onSort: (column: UserSort) => void;
}) {
  const t = useTexts();
  const active = query.sort === column;
  return (
    <th scope="col" aria-sort={active ? (query.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(column)} aria-label={t.sortBy(label)}>
        {label}
        {active ? (query.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
}

function UserEditor({ user, admin, onDone }: { user: AdminUser; admin: AdminIdentity; onDone: (changed: boolean) => void }) {
  const t = useTexts();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [role, setRole] = useState(user.role);
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError('');
    try {
      const expires = String(form.get('expires') ?? '');
      const changes: UserUpdate = {
        displayName: String(form.get('displayName')),
        quotaBytes: Math.round(Number(form.get('quota')) * MB),
        disabled: form.get('disabled') === 'on',
        protocols: PROTOCOLS.filter((protocol) => form.get(`protocol-${protocol}`) === 'on'),
        ...(expires ? { expiresAt: `${expires}T00:00:00.000Z` } : user.expiresAt ? { neverExpires: true } : {}),
        ...(role !== user.role ? { role } : {}),
        ...(admin.role === 'system_admin' && role === 'domain_admin'
          ? {
              adminDomains: String(form.get('adminDomains') ?? '')
                .split(',')
                .map((name) => name.trim())
                .filter(Boolean),
            }
          : {}),
      };
      await updateUser(user.address, changes);
      const password = String(form.get('password') ?? '');
      if (password) await resetPassword(user.address, password);
      onDone(true);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };
  const unlock = async () => {
    setError('');
    try {
      await unlockUser(user.address);
      setNotice(t.unlocked);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };
  const resetSecondFactor = async () => {
    if (!window.confirm(t.confirmResetTwoFactor(user.address))) return;
    setError('');
    try {
      await resetTwoFactor(user.address);
      setNotice(t.saved);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };
  return (
    <form className="card editor" onSubmit={save} aria-label={`${t.edit} ${user.address}`}>
      <h2>
        {t.edit}: {user.address}
      </h2>
      <label>
        {t.name}
        <input name="displayName" type="text" defaultValue={user.displayName} maxLength={200} autoFocus />
      </label>
      <label>
        {t.quotaMb}
        <input name="quota" type="number" min={0} step={1} defaultValue={Math.round(user.quotaBytes / MB)} required />
      </label>
      {admin.role === 'system_admin' && (
        <label>
          {t.role}
          <select name="role" value={role} onChange={(event) => setRole(event.target.value)}>
            <option value="user">{t.roleUser}</option>
            <option value="domain_admin">{t.roleDomainAdmin}</option>
            <option value="system_admin">{t.roleSystemAdmin}</option>
          </select>
        </label>
      )}
      {admin.role === 'system_admin' && role === 'domain_admin' && (
        <label>
          {t.adminDomains}
          <input name="adminDomains" type="text" required defaultValue={user.adminDomains.join(', ')} placeholder="a.example, b.example" />
        </label>
      )}
      <label>
        {t.expiresOn}
        <input name="expires" type="date" defaultValue={dateOf(user.expiresAt)} />
      </label>
      <fieldset className="protocols">
        <legend>{t.protocols}</legend>
        {PROTOCOLS.map((protocol) => (
          <label key={protocol} className="check">
            <input name={`protocol-${protocol}`} type="checkbox" defaultChecked={user.protocols.includes(protocol)} />{' '}
            {protocol.toUpperCase()}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input name="disabled" type="checkbox" defaultChecked={user.disabled} /> {t.disable}
      </label>
      <label>
        {t.resetPassword}
        <input name="password" type="password" autoComplete="new-password" minLength={8} placeholder={t.newPassword} />
      </label>
      <Feedback error={error} notice={notice} />
      <div className="buttons">
        <button className="primary" type="submit">
          {t.save}
        </button>
        <button type="button" onClick={unlock}>
          {t.unlock}
        </button>
        {user.twoFactorEnabled && (
          <button type="button" onClick={resetSecondFactor}>
            {t.resetTwoFactor}
          </button>
        )}
        <button type="button" onClick={() => onDone(false)}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

function UserCreator({ admin, onDone }: { admin: AdminIdentity; onDone: (changed: boolean) => void }) {
  const t = useTexts();
  const [error, setError] = useState('');
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError('');
    try {
      await createUser({
        address: String(form.get('address')),
        password: String(form.get('password')),
        displayName: String(form.get('displayName')),
        quotaBytes: Math.round(Number(form.get('quota')) * MB),
        role: String(form.get('role') ?? 'user'),
      });
      onDone(true);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };
  return (
    <form className="card editor" onSubmit={create} aria-label={t.createUser}>
      <h2>{t.createUser}</h2>
      <label>
        {t.address}
        <input
          name="address"
          type="email"
          required
          autoFocus
          placeholder={admin.domains[0] ? `name@${admin.domains[0]}` : 'name@example.org'}
        />
      </label>
      <label>
        {t.name}
        <input name="displayName" type="text" maxLength={200} />
      </label>
      <label>
        {t.password}
        <input name="password" type="password" autoComplete="new-password" minLength={8} required />
      </label>
      <label>
        {t.quotaMb}
        <input name="quota" type="number" min={0} step={1} defaultValue={0} required />
      </label>
      {admin.role === 'system_admin' && (
        <label>
          {t.role}
          <select name="role" defaultValue="user">
            <option value="user">{t.roleUser}</option>
            <option value="system_admin">{t.roleSystemAdmin}</option>
          </select>
        </label>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="buttons">
        <button className="primary" type="submit">
          {t.create}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

export function UsersPage({ admin }: { admin: AdminIdentity }) {
  const t = useTexts();
  const [query, setQuery] = useState<Query>({ search: '', sort: 'ADDRESS', descending: false, offset: 0 });
  const [page, setPage] = useState<{ total: number; users: AdminUser[] } | null>(null);
  const [editing, setEditing] = useState<AdminUser | 'new' | 'import' | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  // Each keystroke of the search asks again; only the newest answer may fill the table, whatever order they come in.
  const latest = useRef(0);
  const load = useCallback(() => {
    const request = ++latest.current;
    listUsers({ ...query, limit: PAGE_SIZE }).then(
      (result) => {
        if (request === latest.current) setPage(result);
      },
      (caught: unknown) => {
        if (request === latest.current) setError(errorText(t, caught));
      },
    );
  }, [query, t]);
  useEffect(load, [load]);

  const sortBy = (column: UserSort) =>
    setQuery((current) => ({
      ...current,
      sort: column,
      descending: current.sort === column ? !current.descending : false,
      offset: 0,
    }));

  const finished = (changed: boolean) => {
    setEditing(null);
    if (changed) {
      setNotice(t.saved);
      load();
    }
  };

  const remove = async (user: AdminUser) => {
    if (!window.confirm(t.confirmDeleteUser(user.address))) return;
    setError('');
    try {
      await deleteUser(user.address);
      load();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  const last = page ? Math.min(query.offset + PAGE_SIZE, page.total) : 0;
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t.users}</h1>
      <div className="toolbar">
        <label className="visually-hidden" htmlFor="user-search">
          {t.search}
        </label>
        <input
          id="user-search"
          type="search"
          placeholder={t.search}
          maxLength={320}
          value={query.search}
          onChange={(event) => setQuery({ ...query, search: event.target.value, offset: 0 })}
        />
        <button className="primary" type="button" onClick={() => setEditing('new')}>
          {t.createUser}
        </button>
        <button type="button" onClick={() => setEditing('import')}>
          {t.importUsers}
        </button>
      </div>
      <Feedback error={error} notice={notice} />
      {editing === 'new' && <UserCreator admin={admin} onDone={finished} />}
      {editing === 'import' && <UserImport onDone={() => load()} />}
      {editing && editing !== 'new' && editing !== 'import' && <UserEditor user={editing} admin={admin} onDone={finished} />}
      {page === null ? (
        <p className="notice">{t.loading}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <SortHeader label={t.address} column="ADDRESS" query={query} onSort={sortBy} />
                <SortHeader label={t.name} column="NAME" query={query} onSort={sortBy} />
                <th scope="col">{t.role}</th>
                <th scope="col">{t.quota}</th>
                <SortHeader label={t.used} column="USED" query={query} onSort={sortBy} />
                <th scope="col">{t.status}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {page.users.map((user) => (
                <tr key={user.address}>
                  <td data-label={t.address}>{user.address}</td>
                  <td data-label={t.name}>{user.displayName}</td>
                  <td data-label={t.role}>
                    {roleLabel(t, user.role)}
                    {user.adminDomains.length > 0 ? ` (${user.adminDomains.join(', ')})` : ''}
                  </td>
                  <td data-label={t.quota}>{formatBytes(t, user.quotaBytes, true)}</td>
                  <td data-label={t.used}>{formatBytes(t, user.usedBytes)}</td>
                  <td data-label={t.status}>{user.disabled ? t.disabled : t.enabled}</td>
                  <td data-label={t.actions} className="row-actions">
                    <button
                      type="button"
                      onClick={() => {
                        setNotice('');
                        setEditing(user);
                      }}
                      aria-label={`${t.edit} ${user.address}`}
                    >
                      {t.edit}
                    </button>
                    <button type="button" className="danger" onClick={() => remove(user)} aria-label={`${t.delete} ${user.address}`}>
                      {t.delete}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && (
        <div className="pager">
          <span role="status">{t.page(page.total === 0 ? 0 : query.offset + 1, last, page.total)}</span>
          <button
            type="button"
            disabled={query.offset === 0}
            onClick={() => setQuery({ ...query, offset: Math.max(0, query.offset - PAGE_SIZE) })}
          >
            {t.previous}
          </button>
          <button type="button" disabled={last >= page.total} onClick={() => setQuery({ ...query, offset: query.offset + PAGE_SIZE })}>
            {t.next}
          </button>
        </div>
      )}
    </section>
  );
}
