import type { ModuleSchema } from '../../core/module-store/module-store.service.js';
import { BackupJobs1766000000001 } from './migrations/1766000000001-backup-jobs.js';

/** The backup module's tables (job history, schedule), read and written in backup-jobs.repository.ts; backups leave the history out. */
export const BACKUP_SCHEMA: ModuleSchema = {
  entities: [],
  migrations: [BackupJobs1766000000001],
  transientTables: ['backup_jobs'],
};
