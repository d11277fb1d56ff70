import { gql } from './api.js';

export interface BackupSchedule {
  enabled: boolean;
  fullCron: string;
  incrementalCron: string;
  location: string;
  keyFile: string;
  keepFull: number;
  keepDays: number;
  nextRuns: string[];
}

export type BackupScheduleInput = Omit<BackupSchedule, 'nextRuns'>;

export interface BackupJob {
  id: string;
  kind: string;
  state: 'running' | 'succeeded' | 'failed';
  location: string;
  backupId: string | null;
  startedAt: string;
  finishedAt: string | null;
  items: number;
  bytes: number;
  result: string | null;
  startedBy: string;
  scheduledFor: string | null;
}

export interface BackupSummary {
  id: string;
  kind: string;
  parent: string | null;
  finishedAt: string;
  messages: number;
  storedBytes: number;
  encrypted: boolean;
}

const SCHEDULE_FIELDS = 'enabled fullCron incrementalCron location keyFile keepFull keepDays nextRuns';
const JOB_FIELDS = 'id kind state location backupId startedAt finishedAt items bytes result startedBy scheduledFor';

export async function backupSchedule(): Promise<BackupSchedule> {
  return (await gql<{ backupSchedule: BackupSchedule }>(`{ backupSchedule { ${SCHEDULE_FIELDS} } }`)).backupSchedule;
}

export async function setBackupSchedule(input: BackupScheduleInput): Promise<BackupSchedule> {
  return (
    await gql<{ setBackupSchedule: BackupSchedule }>(
      `mutation($i: BackupScheduleInput!) { setBackupSchedule(input: $i) { ${SCHEDULE_FIELDS} } }`,
      { i: input },
    )
  ).setBackupSchedule;
}

export async function backupJobs(): Promise<BackupJob[]> {
  return (await gql<{ backupJobs: BackupJob[] }>(`{ backupJobs(limit: 50) { ${JOB_FIELDS} } }`)).backupJobs;
}

export async function startBackup(location: string, incremental: boolean): Promise<BackupJob> {
  return (
    await gql<{ startBackup: BackupJob }>(
      `mutation($l: String!, $i: Boolean!) { startBackup(location: $l, incremental: $i) { ${JOB_FIELDS} } }`,
      { l: location, i: incremental },
    )
  ).startBackup;
}

export async function startVerify(location: string, backupId: string): Promise<BackupJob> {
  return (
    await gql<{ startBackupVerify: BackupJob }>(
      `mutation($l: String!, $b: String!) { startBackupVerify(location: $l, backupId: $b) { ${JOB_FIELDS} } }`,
      { l: location, b: backupId },
    )
  ).startBackupVerify;
}

export async function listBackups(location: string): Promise<BackupSummary[]> {
  return (
    await gql<{ backups: BackupSummary[] }>(
      'query($l: String!) { backups(location: $l) { id kind parent finishedAt messages storedBytes encrypted } }',
      { l: location },
    )
  ).backups;
}
