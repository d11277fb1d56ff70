/** The BackupEnvironment (snapshot source, blob access, versions) the composition root gives the backup module. */
export const BACKUP_ENVIRONMENT = Symbol('BACKUP_ENVIRONMENT');
