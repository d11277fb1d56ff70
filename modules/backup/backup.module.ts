import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { AdminGuard } from '../../core/graphql/admin.guard.js';
import { BackupJobsRepository } from './backup-jobs.repository.js';
import { BackupJobsService } from './backup-jobs.service.js';
import { BackupScheduler } from './backup-scheduler.service.js';
import { BackupSchedules } from './backup-schedules.service.js';
import { BackupResolver } from './graphql/backup.resolver.js';

/**
 * Backups over GraphQL (system admins): list a location's backups, start backup, verify and selective-restore jobs
 * and follow their progress in the job history; the backup schedule, run by one node per due time. The CLI (app/cli/backup.commands.ts) uses the same services without this module.
 * `environment` provides BACKUP_ENVIRONMENT: the composition root builds it from core's snapshot service and blob store.
 */
@Module({})
export class BackupModule {
  static register(environment: Provider): DynamicModule {
    return {
      module: BackupModule,
      providers: [environment, AdminGuard, BackupJobsRepository, BackupJobsService, BackupScheduler, BackupSchedules, BackupResolver],
    };
  }
}
