import { Injectable } from '@nestjs/common';
import { AuditLogWriter } from '../../core/audit/audit-log.writer.js';
import type { AuditActor } from '../../core/audit/audit-log.js';
import { BackupJobsRepository } from './backup-jobs.repository.js';
import { checkSchedule, type BackupSchedule } from './backup-schedule.js';
import { BackupScheduler } from './backup-scheduler.service.js';

/** The schedule off, as it is until an admin sets one. */
const NO_SCHEDULE: BackupSchedule = {
  enabled: false,
  fullCron: '0 2 * * 0',
  incrementalCron: '0 2 * * 1-6',
  location: '',
  keyFile: '',
  keepFull: 4,
  keepDays: 0,
  updatedAt: new Date(0),
};

/** Reading and changing the backup schedule (audited); this node plans the change at once, the others on reload. */
@Injectable()
export class BackupSchedules {
  constructor(
    private readonly repository: BackupJobsRepository,
    private readonly scheduler: BackupScheduler,
    private readonly audit: AuditLogWriter,
  ) {}

  async get(): Promise<BackupSchedule> {
    return (await this.repository.schedule()) ?? NO_SCHEDULE;
  }

  async set(actor: AuditActor, input: Omit<BackupSchedule, 'updatedAt'>): Promise<BackupSchedule> {
    const schedule: BackupSchedule = { ...input, location: input.location.trim(), keyFile: input.keyFile.trim(), updatedAt: new Date() };
    checkSchedule(schedule);
    const before = await this.get();
    await this.repository.saveSchedule(schedule);
    await this.audit.record(actor, 'backup.schedule.set', schedule.location, {
      before: summary(before),
      after: summary(schedule),
    });
    await this.scheduler.reload();
    return schedule;
  }
}

function summary(schedule: BackupSchedule): string {
  if (!schedule.enabled) return 'off';
  return `full ${schedule.fullCron}${schedule.incrementalCron ? `, incremental ${schedule.incrementalCron}` : ''} into ${schedule.location}`;
}
