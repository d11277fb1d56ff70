import { useState } from 'react';
import { ApiError } from '../../api/graphql-client.js';
import { useI18n } from '../../i18n/i18n.js';

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'failed'; text: string };

/** A form's save state and its one line of feedback: "Saved." or the server's reason. */
export function useFormStatus() {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const run = async (work: () => Promise<void>, done = t('saved')) => {
    setStatus({ kind: 'busy' });
    try {
      await work();
      setStatus({ kind: 'done', text: done });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') throw error;
      setStatus({ kind: 'failed', text: error instanceof Error ? error.message : String(error) });
    }
  };
  const fail = (text: string) => setStatus({ kind: 'failed', text });
  const line =
    status.kind === 'done' ? (
      <p className="form-status" role="status">
        {status.text}
      </p>
    ) : status.kind === 'failed' ? (
      <p className="form-status error" role="alert">
        {status.text}
      </p>
    ) : null;
  return { busy: status.kind === 'busy', run, fail, line };
}
