import { Injectable } from '@nestjs/common';
import { num, one, rows } from '../../core/module-store/module-sql.js';
import { ModuleStore } from '../../core/module-store/module-store.service.js';
import type { BackupJob, BackupJobKind, BackupJobState } from './backup-job.js';
import type { BackupSchedule } from './backup-schedule.js';

interface JobRow {
  id: string;
  kind: string;
  state: string;
  location: string;
  backupId: string | null;
  startedAt: number | string;
  finishedAt: number | string | null;
  heartbeatAt: number | string;
  items: number | string;
  bytes: number | string;
  result: string | null;
  startedBy: string;
  scheduledFor: number | string | null;
}

const JOB_COLUMNS =
  '`id`, `kind`, `state`, `location`, `backupId`, `startedAt`, `finishedAt`, `heartbeatAt`, `items`, `bytes`, `result`, `startedBy`, `scheduledFor`';

function toJob(row: JobRow): BackupJob {
  return {
    id: row.id,
    kind: row.kind as BackupJobKind,
    state: row.state as BackupJobState,
    location: row.location,
    backupId: row.backupId,
    startedAt: new Date(num(row.startedAt)),
    finishedAt: row.finishedAt === null ? null : new Date(num(row.finishedAt)),
    heartbeatAt: new Date(num(row.heartbeatAt)),
    items: num(row.items),
    bytes: num(row.bytes),
    result: row.result,
    startedBy: row.startedBy,
    scheduledFor: row.scheduledFor === null ? null : new Date(num(row.scheduledFor)),
  };
}

const clip = (value: string | null, length: number): string | null => (value === null ? null : value.slice(0, length));

/** The `backup_jobs` history and the `backup_schedule` row. */
@Injectable()
export class BackupJobsRepository {
  constructor(private readonly store: ModuleStore) {}

  /**
   * Records a new job. A scheduled job's `scheduledFor` is unique: false when another node already took that run
   * (and nothing is written).
   */
  async insert(job: BackupJob): Promise<boolean> {
    try {
      await this.store.transaction((manager) =>
        manager.query(`INSERT INTO \`backup_jobs\` (${JOB_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          job.id,
          job.kind,
          job.state,
          clip(job.location, 1000),
          job.backupId,
          job.startedAt.getTime(),
          job.finishedAt?.getTime() ?? null,
          job.heartbeatAt.getTime(),
          job.items,
          job.bytes,
          clip(job.result, 1000),
          clip(job.startedBy, 320),
          job.scheduledFor?.getTime() ?? null,
        ]),
      );
      return true;
    } catch (error) {
      if (job.scheduledFor && (await this.scheduledRunTaken(job.scheduledFor))) return false;
      throw error;
    }
  }

  /** Progress, state and result of a running job; `heartbeatAt` tells other nodes its node is alive. */
  async update(job: BackupJob): Promise<void> {
    await this.store.transaction((manager) =>
      manager.query(
        'UPDATE `backup_jobs` SET `state` = ?, `backupId` = ?, `finishedAt` = ?, `heartbeatAt` = ?, `items` = ?, `bytes` = ?, `result` = ? WHERE `id` = ?',
        [
          job.state,
          job.backupId,
          job.finishedAt?.getTime() ?? null,
          job.heartbeatAt.getTime(),
          job.items,
          job.bytes,
          clip(job.result, 1000),
          job.id,
        ],
      ),
    );
  }

  /** Marks jobs whose node stopped reporting (it died) as failed. */
  async failAbandoned(heartbeatBefore: Date, now: Date): Promise<void> {
    await this.store.transaction((manager) =>
      manager.query(
        "UPDATE `backup_jobs` SET `state` = 'failed', `finishedAt` = ?, `result` = 'the node running the job stopped' WHERE `state` = 'running' AND `heartbeatAt` < ?",
        [now.getTime(), heartbeatBefore.getTime()],
      ),
    );
  }

  async list(limit: number): Promise<BackupJob[]> {
    return (
      await rows<JobRow>(this.store.reader, `SELECT ${JOB_COLUMNS} FROM \`backup_jobs\` ORDER BY \`startedAt\` DESC, \`id\` LIMIT ?`, [
        limit,
      ])
    ).map(toJob);
  }

  async get(id: string): Promise<BackupJob | null> {
    const row = await one<JobRow>(this.store.reader, `SELECT ${JOB_COLUMNS} FROM \`backup_jobs\` WHERE \`id\` = ?`, [id]);
    return row ? toJob(row) : null;
  }

  /** Keeps the newest `keep` jobs. */
  async trim(keep: number): Promise<void> {
    const cutoff = await one<{ startedAt: number | string }>(
      this.store.reader,
      'SELECT `startedAt` FROM `backup_jobs` ORDER BY `startedAt` DESC LIMIT 1 OFFSET ?',
      [keep],
    );
    if (!cutoff) return;
    await this.store.transaction((manager) =>
      manager.query("DELETE FROM `backup_jobs` WHERE `startedAt` <= ? AND `state` <> 'running'", [num(cutoff.startedAt)]),
    );
  }

  private async scheduledRunTaken(at: Date): Promise<boolean> {
    return !!(await one(this.store.reader, 'SELECT `id` FROM `backup_jobs` WHERE `scheduledFor` = ?', [at.getTime()]));
  }

  async schedule(): Promise<BackupSchedule | null> {
    const row = await one<Record<string, number | string>>(
      this.store.reader,
      'SELECT `enabled`, `fullCron`, `incrementalCron`, `location`, `keyFile`, `keepFull`, `keepDays`, `updatedAt` FROM `backup_schedule` WHERE `id` = 1',
    );
    if (!row) return null;
    return {
      enabled: num(row.enabled) === 1,
      fullCron: String(row.fullCron),
      incrementalCron: String(row.incrementalCron),
      location: String(row.location),
      keyFile: String(row.keyFile),
      keepFull: num(row.keepFull),
      keepDays: num(row.keepDays),
      updatedAt: new Date(num(row.updatedAt)),
    };
  }

  async saveSchedule(schedule: BackupSchedule): Promise<void> {
    await this.store.transaction(async (manager) => {
      await manager.query('DELETE FROM `backup_schedule` WHERE `id` = 1');
      await manager.query(
        'INSERT INTO `backup_schedule` (`id`, `enabled`, `fullCron`, `incrementalCron`, `location`, `keyFile`, `keepFull`, `keepDays`, `updatedAt`) ' +
          'VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          schedule.enabled ? 1 : 0,
          schedule.fullCron,
          schedule.incrementalCron,
          schedule.location,
          schedule.keyFile,
          schedule.keepFull,
          schedule.keepDays,
          schedule.updatedAt.getTime(),
        ],
      );
    });
  }
}
