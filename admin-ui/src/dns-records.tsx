import { useCallback, useEffect, useState } from 'react';
import { dnsRecords, type DnsRecord } from './api.js';
import { errorText, useTexts } from './app.js';

/** The records a domain should publish, with a button that asks the server's resolver for each. */
export function DnsRecords({ domain }: { domain: string }) {
  const t = useTexts();
  const [records, setRecords] = useState<DnsRecord[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const load = useCallback(
    (check: boolean) => {
      setBusy(true);
      setError('');
      dnsRecords(domain, check)
        .then(setRecords, (caught: unknown) => setError(errorText(t, caught)))
        .finally(() => setBusy(false));
    },
    [domain, t],
  );
  useEffect(() => load(false), [load]);

  return (
    <section className="dns" aria-label={t.dnsRecordsOf(domain)}>
      <div className="toolbar">
        <h2>{t.dnsRecordsOf(domain)}</h2>
        <button type="button" className="primary" disabled={busy} onClick={() => load(true)}>
          {t.checkDns}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {records && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {[t.dnsType, t.dnsName, t.dnsValue, t.dnsStatus].map((label) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {records.map((record) => (
                <tr key={record.purpose} data-purpose={record.purpose}>
                  <td data-label={t.dnsType}>{record.type}</td>
                  <td data-label={t.dnsName}>
                    <code>{record.name}</code>
                  </td>
                  <td data-label={t.dnsValue}>
                    <code className="dns-value">{record.value}</code>
                  </td>
                  <td data-label={t.dnsStatus} className={`dns-${record.status}`} title={record.found}>
                    {record.status === 'pass' ? t.dnsPass : record.status === 'fail' ? t.dnsFail : t.dnsUnchecked}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
