import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from './api.js';
import { errorText, useTexts } from './app.js';
import { Feedback } from './feedback.js';
import {
  backupJobs,
  backupSchedule,
  listBackups,
  setBackupSchedule,
  startBackup,
  startVerify,
  type BackupJob,
  type BackupSchedule,
  type BackupSummary,
} from './backup-api.js';

/** While a job runs, the history is read again this often. */
const LIVE_REFRESH_MS = 2000;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function duration(job: BackupJob): string {
  const ms = (job.finishedAt ? Date.parse(job.finishedAt) : Date.now()) - Date.parse(job.startedAt);
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/** Backups: the schedule and its retention, a backup now, the job history of every node (live while one runs). */
export function BackupsPage() {
  const t = useTexts();
  const [schedule, setSchedule] = useState<BackupSchedule | null>(null);
  const [jobs, setJobs] = useState<BackupJob[]>([]);
  const [backups, setBackups] = useState<BackupSummary[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [moduleOff, setModuleOff] = useState(false);

  const refreshJobs = useCallback(async () => {
    try {
      setJobs(await backupJobs());
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }, [t]);

  useEffect(() => {
    backupSchedule().then(
      (loaded) => {
        setSchedule(loaded);
        void refreshJobs();
      },
      (caught: unknown) => {
        // Without the backup module the schema has no backup fields at all.
        if (caught instanceof ApiError && /backupSchedule/.test(caught.message)) setModuleOff(true);
        else setError(errorText(t, caught));
      },
    );
  }, [refreshJobs, t]);

  const running = jobs.some((job) => job.state === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refreshJobs(), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, refreshJobs]);

  if (moduleOff) return <p className="notice">{t.backupModuleOff}</p>;
  if (!schedule) return error ? <p className="error">{error}</p> : <p className="notice">{t.loading}</p>;

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError('');
    setNotice('');
    try {
      setSchedule(
        await setBackupSchedule({
          enabled: form.get('enabled') === 'on',
          fullCron: String(form.get('fullCron') ?? '').trim(),
          incrementalCron: String(form.get('incrementalCron') ?? '').trim(),
          location: String(form.get('location') ?? '').trim(),
          keyFile: String(form.get('keyFile') ?? '').trim(),
          keepFull: Number(form.get('keepFull') ?? 0),
          keepDays: Number(form.get('keepDays') ?? 0),
        }),
      );
      setNotice(t.saved);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  const act = async (work: () => Promise<unknown>) => {
    setError('');
    setNotice('');
    try {
      await work();
      await refreshJobs();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  return (
    <section aria-labelledby="backups-title">
      <h1 id="backups-title">{t.backups}</h1>
      <Feedback error={error} notice={notice} />
      <form className="card settings" onSubmit={save} aria-label={t.backupSchedule}>
        <h2>{t.backupSchedule}</h2>
        <label className="check">
          <input name="enabled" type="checkbox" defaultChecked={schedule.enabled} /> {t.scheduleEnabled}
        </label>
        <label>
          {t.fullCron}
          <input name="fullCron" type="text" maxLength={100} defaultValue={schedule.fullCron} required />
        </label>
        <label>
          {t.incrementalCron}
          <input name="incrementalCron" type="text" maxLength={100} defaultValue={schedule.incrementalCron} />
        </label>
        <label>
          {t.backupLocation}
          <input name="location" type="text" maxLength={1000} defaultValue={schedule.location} />
        </label>
        <label>
          {t.keyFile}
          <input name="keyFile" type="text" maxLength={1000} defaultValue={schedule.keyFile} />
        </label>
        <label>
          {t.keepFull}
          <input name="keepFull" type="number" min={0} defaultValue={schedule.keepFull} />
        </label>
        <label>
          {t.keepDays}
          <input name="keepDays" type="number" min={0} defaultValue={schedule.keepDays} />
        </label>
        {schedule.nextRuns.length > 0 && (
          <p className="hint">
            {t.nextRuns}: {schedule.nextRuns.map((at) => new Date(at).toLocaleString()).join(', ')}
          </p>
        )}
        <button className="primary" type="submit">
          {t.save}
        </button>
      </form>

      <div className="toolbar">
        <button type="button" disabled={!schedule.location || running} onClick={() => act(() => startBackup(schedule.location, false))}>
          {t.backUpNow}
        </button>
        <button type="button" disabled={!schedule.location || running} onClick={() => act(() => startBackup(schedule.location, true))}>
          {t.backUpIncrementalNow}
        </button>
        <button
          type="button"
          disabled={!schedule.location}
          onClick={() => act(async () => setBackups(await listBackups(schedule.location)))}
        >
          {t.showBackups}
        </button>
        <button type="button" onClick={() => void refreshJobs()}>
          {t.refresh}
        </button>
      </div>

      <h2>{t.jobHistory}</h2>
      {jobs.length === 0 ? (
        <p className="notice">{t.noEntries}</p>
      ) : (
        <div className="table-wrap">
          <table className="backup-jobs">
            <thead>
              <tr>
                {[t.time, t.jobKind, t.status, t.actor, t.backupId, t.items, t.size, t.duration, t.jobResult].map((label) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} data-state={job.state}>
                  <td data-label={t.time}>{new Date(job.startedAt).toLocaleString()}</td>
                  <td data-label={t.jobKind}>{t.jobKinds[job.kind as keyof typeof t.jobKinds] ?? job.kind}</td>
                  <td data-label={t.status}>
                    <span className={`event event-${job.state}`}>{t.jobStates[job.state]}</span>
                  </td>
                  <td data-label={t.actor}>{job.startedBy === 'schedule' ? t.bySchedule : job.startedBy}</td>
                  <td data-label={t.backupId}>
                    <code>{job.backupId ?? ''}</code>
                  </td>
                  <td data-label={t.items}>{job.items}</td>
                  <td data-label={t.size}>{size(job.bytes)}</td>
                  <td data-label={t.duration}>{duration(job)}</td>
                  <td data-label={t.jobResult}>{job.result ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {backups && (
        <>
          <h2>{t.backupsIn(schedule.location)}</h2>
          {backups.length === 0 ? (
            <p className="notice">{t.noEntries}</p>
          ) : (
            <div className="table-wrap">
              <table className="backups">
                <thead>
                  <tr>
                    {[t.backupId, t.time, t.messages, t.size, t.actions].map((label) => (
                      <th key={label} scope="col">
                        {label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...backups].reverse().map((backup) => (
                    <tr key={backup.id}>
                      <td data-label={t.backupId}>
                        <code>{backup.id}</code>
                        {backup.encrypted ? ' 🔒' : ''}
                      </td>
                      <td data-label={t.time}>{new Date(backup.finishedAt).toLocaleString()}</td>
                      <td data-label={t.messages}>{backup.messages}</td>
                      <td data-label={t.size}>{size(backup.storedBytes)}</td>
                      <td data-label={t.actions}>
                        <button
                          type="button"
                          disabled={backup.encrypted}
                          onClick={() => act(() => startVerify(schedule.location, backup.id))}
                        >
                          {t.verifyBackup}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
