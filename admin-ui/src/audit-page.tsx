import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { auditCsv, auditPage, type AuditEntry, type AuditFilter } from './api.js';
import { errorText, useTexts } from './app.js';

const PAGE_SIZE = 50;

export function AuditPage() {
  const t = useTexts();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<{ entries: AuditEntry[]; nextBefore: string | null } | null>(null);
  const [error, setError] = useState('');
  const before = cursors[cursors.length - 1] ?? null;

  const load = useCallback(() => {
    setError('');
    auditPage(filter, before, PAGE_SIZE).then(setPage, (caught: unknown) => setError(errorText(t, caught)));
  }, [filter, before, t]);
  useEffect(load, [load]);

  const applyFilter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilter({
      actor: String(form.get('actor') ?? ''),
      action: String(form.get('action') ?? ''),
      target: String(form.get('target') ?? ''),
    });
    setCursors([null]);
  };

  const download = async () => {
    try {
      const csv = await auditCsv(filter);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      link.download = `mailhive-audit-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t.audit}</h1>
      <form className="toolbar" onSubmit={applyFilter} aria-label={t.filter}>
        <label>
          {t.actor}
          <input name="actor" type="text" maxLength={320} />
        </label>
        <label>
          {t.action}
          <input name="action" type="text" maxLength={64} placeholder="user.update" />
        </label>
        <label>
          {t.target}
          <input name="target" type="text" maxLength={320} />
        </label>
        <button type="submit">{t.filter}</button>
        <button type="button" onClick={download}>
          {t.downloadCsv}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {page === null ? (
        <p className="notice">{t.loading}</p>
      ) : page.entries.length === 0 ? (
        <p className="notice">{t.noEntries}</p>
      ) : (
        <div className="table-wrap">
          <table className="audit">
            <thead>
              <tr>
                {[t.time, t.actor, t.action, t.target, t.client, t.detail].map((label) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label={t.time}>{new Date(entry.at).toLocaleString()}</td>
                  <td data-label={t.actor}>
                    {entry.actor}
                    {entry.actorRole && <span className="muted"> ({entry.actorRole})</span>}
                  </td>
                  <td data-label={t.action}>{entry.action}</td>
                  <td data-label={t.target}>{entry.target}</td>
                  <td data-label={t.client}>{entry.clientAddress}</td>
                  <td data-label={t.detail}>
                    <code>{entry.detail}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors([null])}>
          {t.newest}
        </button>
        <button type="button" disabled={!page?.nextBefore} onClick={() => page?.nextBefore && setCursors([...cursors, page.nextBefore])}>
          {t.older}
        </button>
      </div>
    </section>
  );
}
