import { useState, type FormEvent } from 'react';
import { messageTrace, type TraceEvent, type TraceFilter } from './api.js';
import { errorText, useTexts } from './app.js';

/** "Where is my mail": the delivery log by sender, recipient, Message-ID or subject. */
export function TracePage() {
  const t = useTexts();
  const [events, setEvents] = useState<TraceEvent[] | null>(null);
  const [error, setError] = useState('');

  const search = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const filter: TraceFilter = Object.fromEntries(
      ['sender', 'recipient', 'messageId', 'subject']
        .map((name) => [name, String(form.get(name) ?? '').trim()])
        .filter(([, value]) => value),
    );
    setError('');
    try {
      setEvents(await messageTrace(filter));
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  return (
    <section aria-labelledby="trace-title">
      <h1 id="trace-title">{t.trace}</h1>
      <form className="toolbar" onSubmit={search} aria-label={t.search}>
        <label>
          {t.sender}
          <input name="sender" type="text" maxLength={320} />
        </label>
        <label>
          {t.recipient}
          <input name="recipient" type="text" maxLength={320} />
        </label>
        <label>
          Message-ID
          <input name="messageId" type="text" maxLength={255} />
        </label>
        <label>
          {t.subject}
          <input name="subject" type="text" maxLength={255} />
        </label>
        <button className="primary" type="submit">
          {t.searchButton}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {events &&
        (events.length === 0 ? (
          <p className="notice">{t.noEntries}</p>
        ) : (
          <div className="table-wrap">
            <table className="trace">
              <thead>
                <tr>
                  {[t.time, t.event, t.sender, t.recipient, t.subject, t.detail].map((label) => (
                    <th key={label} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {events.map((item, index) => (
                  <tr key={index} data-event={item.event}>
                    <td data-label={t.time}>{new Date(item.at).toLocaleString()}</td>
                    <td data-label={t.event}>
                      <span className={`event event-${item.event}`}>{t.events[item.event as keyof typeof t.events] ?? item.event}</span>
                    </td>
                    <td data-label={t.sender}>{item.sender || '<>'}</td>
                    <td data-label={t.recipient}>{item.recipient}</td>
                    <td data-label={t.subject} title={item.messageId}>
                      {item.subject}
                    </td>
                    <td data-label={t.detail}>
                      <code>{item.detail}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
