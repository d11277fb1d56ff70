import { transientTablesOf, type ModuleSchema } from '../core/store/module-schema.js';
import type { DataSources } from '../core/store/data-source.factory.js';
import { StoreSnapshotService } from '../core/store/snapshot/store-snapshot.service.js';
import { BACKUP_SCHEMA } from '../modules/backup/backup.schema.js';
import { ORG_SCHEMA } from '../modules/org/org.schema.js';
import { WEBADMIN_SCHEMA } from '../modules/webadmin/webadmin.schema.js';
import { WEBMAIL_SCHEMA } from '../modules/webmail/webmail.schema.js';

/** The tables of every feature module this build knows, migrated whether or not MAILHIVE_MODULES loads the module. */
export const MODULE_SCHEMAS: readonly ModuleSchema[] = [ORG_SCHEMA, WEBADMIN_SCHEMA, WEBMAIL_SCHEMA, BACKUP_SCHEMA];

/** Core's snapshot service for backups, leaving out the modules' transient tables (their job history). */
export function storeSnapshots(sources: DataSources): StoreSnapshotService {
  return new StoreSnapshotService(sources, transientTablesOf(MODULE_SCHEMAS));
}
