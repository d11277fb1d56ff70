import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { AdminGuard } from '../../core/graphql/admin.guard.js';
import { BackupJobsService } from './backup-jobs.service.js';
import { BackupResolver } from './graphql/backup.resolver.js';

/**
 * Backups over GraphQL (system admins): list a location's backups, start backup, verify and selective-restore jobs
 * and follow their progress. The CLI (app/cli/backup.commands.ts) uses the same services without this module.
 * `environment` provides BACKUP_ENVIRONMENT: the composition root builds it from core's snapshot service and blob store.
 */
@Module({})
export class BackupModule {
  static register(environment: Provider): DynamicModule {
    return {
      module: BackupModule,
      providers: [environment, AdminGuard, BackupJobsService, BackupResolver],
    };
  }
}
