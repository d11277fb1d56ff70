import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../core/logging/logger.js';
import { BackupJobsService } from './backup-jobs.service.js';
import { BackupJobsRepository } from './backup-jobs.repository.js';
import { cronRuns, type BackupSchedule } from './backup-schedule.js';

/** How often each node reads the schedule again, so that a change made on another node is planned (a run checks it too). */
const RELOAD_MS = 30_000;
/** Timers wait at most this long before planning again (setTimeout's own limit is about 24 days). */
const MAX_WAIT_MS = 60 * 60_000;

/**
 * Runs the backup schedule on every node; each due run is taken by exactly one of them (the job history's unique
 * `scheduledFor`), so a cluster makes one backup per run. A node that was down at a run's time does not make it up.
 */
@Injectable()
export class BackupScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private reloader: NodeJS.Timeout | null = null;
  private planned: { at: number; updatedAt: number } | null = null;
  private stopped = false;

  constructor(
    private readonly repository: BackupJobsRepository,
    private readonly jobs: BackupJobsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.reloader = setInterval(() => void this.reload(), RELOAD_MS);
    this.reloader.unref();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.reloader) clearInterval(this.reloader);
  }

  /** Plans the next run from the stored schedule, unless the plan already follows it. */
  async reload(): Promise<void> {
    const schedule = await this.repository.schedule().catch((error: unknown) => {
      this.logger.error({ err: error }, 'cannot read the backup schedule');
      return null;
    });
    if (this.stopped) return;
    const updatedAt = schedule?.updatedAt.getTime() ?? 0;
    if (this.planned && this.planned.updatedAt === updatedAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.planned = null;
    if (schedule?.enabled) this.plan(schedule);
  }

  private plan(schedule: BackupSchedule): void {
    const next = nextRun(schedule, new Date());
    if (!next) return;
    this.planned = { at: next.at.getTime(), updatedAt: schedule.updatedAt.getTime() };
    const wait = Math.min(Math.max(next.at.getTime() - Date.now(), 0), MAX_WAIT_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (Date.now() < next.at.getTime()) return this.plan(schedule);
      this.plan(schedule);
      void this.runIfCurrent(schedule, next.at, next.incremental);
    }, wait);
    this.timer.unref();
  }

  /** Runs what `schedule` planned, unless it was changed meanwhile (on any node): then plans anew instead. */
  private async runIfCurrent(schedule: BackupSchedule, at: Date, incremental: boolean): Promise<void> {
    try {
      const current = await this.repository.schedule();
      if (!current?.enabled || current.updatedAt.getTime() !== schedule.updatedAt.getTime()) {
        await this.reload();
        return;
      }
      const job = await this.jobs.runScheduled(at, {
        location: schedule.location,
        incremental,
        keyFile: schedule.keyFile,
        keepFull: schedule.keepFull,
        keepDays: schedule.keepDays,
      });
      if (job) this.logger.info({ job: job.id, at, incremental }, 'scheduled backup started');
    } catch (error) {
      this.logger.error({ err: error, at }, 'scheduled backup could not start');
    }
  }
}

/** The schedule's next run after `from`: a full one wins when both fall on the same time. */
export function nextRun(
  schedule: Pick<BackupSchedule, 'fullCron' | 'incrementalCron'>,
  from: Date,
): { at: Date; incremental: boolean } | null {
  const [full] = cronRuns(schedule.fullCron, 1, from);
  const [incremental] = schedule.incrementalCron ? cronRuns(schedule.incrementalCron, 1, from) : [];
  if (!full && !incremental) return null;
  if (full && (!incremental || full.getTime() <= incremental.getTime())) return { at: full, incremental: false };
  return { at: incremental!, incremental: true };
}
