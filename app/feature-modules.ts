import type { DynamicModule } from '@nestjs/common';
import { BLOB_STORE } from '../core/blob/blob-store.js';
import type { BlobStore } from '../core/blob/blob-store.js';
import type { MailhiveConfig } from '../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../core/config/config.token.js';
import { databaseKind, type DataSources } from '../core/store/data-source.factory.js';
import { DATA_SOURCES } from '../core/store/store.tokens.js';
import { packageVersion } from '../core/util/package-version.js';
import { StartupError } from '../core/util/startup-error.js';

/**
 * Feature modules that MAILHIVE_MODULES may select. Each is loaded only when selected, as a NestJS DynamicModule
 * with `register(options)`; its resolvers join the one GraphQL schema.
 */
export const FEATURE_MODULES: Record<string, () => Promise<DynamicModule>> = {
  webmail: async () => {
    const [{ WebmailModule }, { WebmailWebModule }] = await Promise.all([
      import('../modules/webmail/webmail.module.js'), import('../modules/webmail/web-serving/webmail-web.module.js'),
    ]);
    const api = WebmailModule.register();
    // The webmail web client (static files on `/`) comes with the webmail API it is built on.
    return { ...api, imports: [...(api.imports ?? []), WebmailWebModule] };
  },
  // The admin API and the WebAdmin client on `/admin`.
  webadmin: async () => (await import('../modules/webadmin/webadmin.module.js')).WebadminModule.register(),
  // Departments, the global address list and department lists; its store is core's, bound here.
  org: async () => {
    const [{ OrgModule }, { StoreService }] = await Promise.all([import('../modules/org/org.module.js'), import('../core/store/store.service.js')]);
    return OrgModule.register({ store: StoreService });
  },
  'mobile-api': async () => (await import('../mobile-api/mobile-api.module.js')).MobileApiModule.register(),
  // Backup jobs over GraphQL; the module reads the store through core's snapshot service, handed over here.
  backup: async () => {
    const [{ BackupModule }, { BACKUP_ENVIRONMENT }, { StoreSnapshotService }] = await Promise.all([
      import('../modules/backup/backup.module.js'), import('../modules/backup/backup.tokens.js'), import('../core/store/snapshot/store-snapshot.service.js'),
    ]);
    return BackupModule.register({
      provide: BACKUP_ENVIRONMENT,
      inject: [DATA_SOURCES, BLOB_STORE, MAILHIVE_CONFIG],
      useFactory: (sources: DataSources, blobs: BlobStore, config: MailhiveConfig) => ({
        snapshots: new StoreSnapshotService(sources), blobs, serverVersion: packageVersion(), database: databaseKind(config),
      }),
    });
  },
};

/** The modules MAILHIVE_MODULES selects: all of them when it is empty. */
export function selectedModules(selected: readonly string[]): string[] {
  return selected.length > 0 ? [...selected] : Object.keys(FEATURE_MODULES);
}

export async function loadFeatureModules(selected: readonly string[]): Promise<DynamicModule[]> {
  const names = selectedModules(selected);
  const unknown = names.filter((name) => !(name in FEATURE_MODULES));
  if (unknown.length > 0) {
    const available = Object.keys(FEATURE_MODULES).join(', ') || 'none yet';
    throw new StartupError(`MAILHIVE_MODULES: unknown module ${unknown.map((name) => `"${name}"`).join(', ')} (available: ${available})`);
  }
  return Promise.all(names.map((name) => FEATURE_MODULES[name]()));
}
