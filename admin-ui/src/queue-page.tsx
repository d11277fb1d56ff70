import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { listQueue, queueAction, queuedMessage, type QueuedMessage, type QueueFilter } from './api.js';
import { Feedback } from './feedback.js';
import { errorText, useTexts } from './app.js';

export function QueuePage() {
  const t = useTexts();
  const [filter, setFilter] = useState<QueueFilter>({});
  const [rows, setRows] = useState<QueuedMessage[] | null>(null);
  const [detail, setDetail] = useState<{ message: QueuedMessage; headers: string } | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const load = useCallback(() => {
    setError('');
    listQueue(filter).then(setRows, (caught: unknown) => setError(errorText(t, caught)));
  }, [filter, t]);
  useEffect(load, [load]);

  const applyFilter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilter({
      sender: String(form.get('sender') ?? '') || undefined,
      recipient: String(form.get('recipient') ?? '') || undefined,
      failing: form.get('failing') === 'on' || undefined,
    });
  };

  const act = async (action: 'adminRetryQueued' | 'adminDeleteQueued' | 'adminBounceQueued', row: QueuedMessage) => {
    if (
      action !== 'adminRetryQueued' &&
      !window.confirm(action === 'adminDeleteQueued' ? t.confirmDeleteQueued(row.id) : t.confirmBounceQueued(row.id))
    )
      return;
    setError('');
    try {
      await queueAction(action, row.id);
      setNotice(action === 'adminRetryQueued' ? t.retryStarted : t.saved);
      setDetail(null);
      load();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  const show = async (row: QueuedMessage) => {
    try {
      setDetail(await queuedMessage(row.id));
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t.queue}</h1>
      <form className="toolbar" onSubmit={applyFilter} aria-label={t.filter}>
        <label>
          {t.sender}
          <input name="sender" type="text" maxLength={320} />
        </label>
        <label>
          {t.recipient}
          <input name="recipient" type="text" maxLength={320} />
        </label>
        <label className="check-inline">
          <input name="failing" type="checkbox" /> {t.onlyFailing}
        </label>
        <button type="submit">{t.filter}</button>
        <button type="button" onClick={load}>
          {t.refresh}
        </button>
      </form>
      <Feedback error={error} notice={notice} />
      {rows === null ? (
        <p className="notice">{t.loading}</p>
      ) : rows.length === 0 ? (
        <p className="notice">{t.queueEmpty}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {['#', t.sender, t.recipients, t.attempts, t.nextAttempt, t.lastError, t.actions].map((label) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td data-label="#">{row.id}</td>
                  <td data-label={t.sender}>{row.sender || '<>'}</td>
                  <td data-label={t.recipients}>{row.recipients.join(', ')}</td>
                  <td data-label={t.attempts}>{row.attempts}</td>
                  <td data-label={t.nextAttempt}>{new Date(row.nextAttemptAt).toLocaleString()}</td>
                  <td data-label={t.lastError}>
                    <code>{row.lastError ?? ''}</code>
                  </td>
                  <td data-label={t.actions} className="row-actions">
                    <button type="button" onClick={() => show(row)} aria-label={`${t.details} #${row.id}`}>
                      {t.details}
                    </button>
                    <button type="button" onClick={() => act('adminRetryQueued', row)} aria-label={`${t.retryNow} #${row.id}`}>
                      {t.retryNow}
                    </button>
                    <button type="button" onClick={() => act('adminBounceQueued', row)} aria-label={`${t.bounce} #${row.id}`}>
                      {t.bounce}
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => act('adminDeleteQueued', row)}
                      aria-label={`${t.delete} #${row.id}`}
                    >
                      {t.delete}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {detail && (
        <section className="card detail" aria-label={`${t.details} #${detail.message.id}`}>
          <h2>
            {t.details} #{detail.message.id}
          </h2>
          <dl>
            <dt>{t.sender}</dt>
            <dd>{detail.message.sender || '<>'}</dd>
            <dt>{t.recipients}</dt>
            <dd>{detail.message.recipients.join(', ')}</dd>
            <dt>{t.created}</dt>
            <dd>{new Date(detail.message.createdAt).toLocaleString()}</dd>
            <dt>{t.nextAttempt}</dt>
            <dd>{new Date(detail.message.nextAttemptAt).toLocaleString()}</dd>
            <dt>{t.expires}</dt>
            <dd>{new Date(detail.message.expiresAt).toLocaleString()}</dd>
            <dt>{t.lastError}</dt>
            <dd>
              <code>{detail.message.lastError ?? ''}</code>
            </dd>
          </dl>
          <pre className="headers">{detail.headers}</pre>
          <button type="button" onClick={() => setDetail(null)}>
            {t.close}
          </button>
        </section>
      )}
    </section>
  );
}
