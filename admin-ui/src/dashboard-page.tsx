import { useEffect, useMemo, useState } from 'react';
import { dashboard, type Dashboard, type StatsPoint } from './api.js';
import { errorText, useTexts } from './app.js';
import { Chart, type ChartSeries } from './chart.js';
import { formatBytes, type Messages } from './i18n.js';

const TRAFFIC: { key: keyof Omit<StatsPoint, 'at'>; color: string }[] = [
  { key: 'received', color: '#0b63ce' },
  { key: 'sent', color: '#1a7f37' },
  { key: 'refused', color: '#bf8700' },
  { key: 'bounced', color: '#c42b1c' },
];
const LOGINS: { key: keyof Omit<StatsPoint, 'at'>; color: string }[] = [
  { key: 'logins', color: '#1a7f37' },
  { key: 'failedLogins', color: '#c42b1c' },
];

function seriesOf(t: Messages, points: StatsPoint[], which: typeof TRAFFIC): ChartSeries[] {
  return which.map(({ key, color }) => ({ label: t.metric[key], color, values: points.map((point) => point[key]) }));
}

const sum = (points: StatsPoint[], key: keyof Omit<StatsPoint, 'at'>): number => points.reduce((total, point) => total + point[key], 0);

export function DashboardPage() {
  const t = useTexts();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    const load = () =>
      dashboard().then(
        (result) => live && setData(result),
        (caught: unknown) => live && setError(errorText(t, caught)),
      );
    void load();
    const timer = setInterval(() => void load(), 30_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [t]);

  const charts = useMemo(
    () =>
      data && {
        hourTimes: data.hourly.map((point) => Date.parse(point.at)),
        dayTimes: data.daily.map((point) => Date.parse(point.at)),
        hourTraffic: seriesOf(t, data.hourly, TRAFFIC),
        dayTraffic: seriesOf(t, data.daily, TRAFFIC),
        hourLogins: seriesOf(t, data.hourly, LOGINS),
      },
    [data, t],
  );

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t.dashboard}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data || !charts ? (
        <p className="notice">{t.loading}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="summary" aria-label={t.last24h}>
              <thead>
                <tr>
                  <th scope="col">{t.last24h}</th>
                  {[...TRAFFIC, ...LOGINS].map(({ key }) => (
                    <th key={key} scope="col">
                      {t.metric[key]}
                    </th>
                  ))}
                  <th scope="col">{t.queueSize}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t.total}</th>
                  {[...TRAFFIC, ...LOGINS].map(({ key }) => (
                    <td key={key} data-label={t.metric[key]} data-metric={key}>
                      {sum(data.hourly, key)}
                    </td>
                  ))}
                  <td data-label={t.queueSize} data-metric="queue">
                    {data.queueSize}
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          <div className="charts">
            <Chart title={t.trafficPerHour} times={charts.hourTimes} series={charts.hourTraffic} />
            <Chart title={t.trafficPerDay} times={charts.dayTimes} series={charts.dayTraffic} />
            <Chart title={t.loginsPerHour} times={charts.hourTimes} series={charts.hourLogins} />
          </div>
          <div className="panels">
            <div className="table-wrap">
              <table aria-label={t.storagePerDomain}>
                <caption>{t.storagePerDomain}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.domain}</th>
                    <th scope="col">{t.userCount}</th>
                    <th scope="col">{t.used}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.storage.map((row) => (
                    <tr key={row.domain}>
                      <td data-label={t.domain}>{row.domain}</td>
                      <td data-label={t.userCount}>{row.users}</td>
                      <td data-label={t.used}>{formatBytes(t, row.usedBytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {(
              [
                [t.topSenders, data.topSenders],
                [t.topReceivers, data.topReceivers],
              ] as const
            ).map(([title, rows]) => (
              <div className="table-wrap" key={title}>
                <table aria-label={title}>
                  <caption>{title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.address}</th>
                      <th scope="col">{t.messages}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.address}>
                        <td data-label={t.address}>{row.address}</td>
                        <td data-label={t.messages}>{row.messages}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
