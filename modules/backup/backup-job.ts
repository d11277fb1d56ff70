export type BackupJobKind = 'backup' | 'verify' | 'restore';
export type BackupJobState = 'running' | 'succeeded' | 'failed';

/** A backup, verify or restore job, as the history keeps it. */
export interface BackupJob {
  id: string;
  kind: BackupJobKind;
  state: BackupJobState;
  location: string;
  /** The backup made, verified or restored from (a new backup's id once it is known). */
  backupId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Last sign of life of the node running it; a running job without one for long was abandoned. */
  heartbeatAt: Date;
  /** Rows and blobs done so far, and blob bytes. */
  items: number;
  bytes: number;
  /** One line: what was done, or why it failed. */
  result: string | null;
  /** The admin who started it, or `schedule`. */
  startedBy: string;
  /** For a scheduled job: the time it was scheduled for. */
  scheduledFor: Date | null;
}
