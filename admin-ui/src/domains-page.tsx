import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { addDomain, listDomains, removeDomain, setDomainTwoFactorRequired, type AdminDomain, type AdminIdentity } from './api.js';
import { errorText, useTexts } from './app.js';
import { DnsRecords } from './dns-records.js';

export function DomainsPage({ admin }: { admin: AdminIdentity }) {
  const t = useTexts();
  const [domains, setDomains] = useState<AdminDomain[] | null>(null);
  const [error, setError] = useState('');
  const [dnsOf, setDnsOf] = useState<string | null>(null);
  const canManage = admin.role === 'system_admin';

  const reload = useCallback(() => {
    listDomains().then(setDomains, (caught: unknown) => setError(errorText(t, caught)));
  }, [t]);
  useEffect(reload, [reload]);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setError('');
    try {
      await addDomain(String(new FormData(form).get('domain')));
      form.reset();
      reload();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  const requireTwoFactor = async (name: string, required: boolean) => {
    setError('');
    try {
      await setDomainTwoFactorRequired(name, required);
      reload();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  const remove = async (name: string) => {
    if (!window.confirm(t.confirmRemoveDomain(name))) return;
    setError('');
    try {
      await removeDomain(name);
      reload();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  return (
    <section aria-labelledby="domains-title">
      <h1 id="domains-title">{t.domains}</h1>
      {canManage && (
        <form className="toolbar" onSubmit={add}>
          <label className="visually-hidden" htmlFor="new-domain">
            {t.domain}
          </label>
          <input id="new-domain" name="domain" type="text" placeholder="example.org" required maxLength={253} />
          <button className="primary" type="submit">
            {t.addDomain}
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {domains === null ? (
        <p className="notice">{t.loading}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.domain}</th>
                <th scope="col">{t.userCount}</th>
                <th scope="col">{t.catchAll}</th>
                <th scope="col">{t.twoFactor}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {domains.map((domain) => (
                <tr key={domain.name}>
                  <td data-label={t.domain}>{domain.name}</td>
                  <td data-label={t.userCount}>{domain.users}</td>
                  <td data-label={t.catchAll}>{domain.catchAll ?? t.none}</td>
                  <td data-label={t.twoFactor}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={domain.requireTwoFactor}
                        onChange={(event) => void requireTwoFactor(domain.name, event.target.checked)}
                        aria-label={`${t.requireTwoFactor}: ${domain.name}`}
                      />{' '}
                      {t.requireTwoFactor}
                    </label>
                  </td>
                  <td data-label={t.actions} className="row-actions">
                    <button
                      type="button"
                      onClick={() => setDnsOf(dnsOf === domain.name ? null : domain.name)}
                      aria-label={`${t.dns} ${domain.name}`}
                      aria-expanded={dnsOf === domain.name}
                    >
                      {t.dns}
                    </button>
                    {canManage && (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => remove(domain.name)}
                        aria-label={`${t.remove} ${domain.name}`}
                      >
                        {t.remove}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dnsOf && <DnsRecords key={dnsOf} domain={dnsOf} />}
    </section>
  );
}
