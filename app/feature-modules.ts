import type { DynamicModule } from '@nestjs/common';
import { BLOB_STORE } from '../core/blob/blob-store.js';
import type { BlobStore } from '../core/blob/blob-store.js';
import type { MailhiveConfig } from '../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../core/config/config.token.js';
import { databaseKind, type DataSources } from '../core/store/data-source.factory.js';
import { DATA_SOURCES } from '../core/store/store.tokens.js';
import { packageVersion } from '../core/util/package-version.js';
import { StartupError } from '../core/util/startup-error.js';

/** A loaded feature module and the GraphQL error codes it gives (its refusals that are part of the API). */
export interface FeatureModule {
  module: DynamicModule;
  errorCodes: readonly string[];
}

/**
 * Feature modules that MAILHIVE_MODULES may select. Each is loaded only when selected, as a NestJS DynamicModule
 * with `register(options)`; its resolvers join the one GraphQL schema.
 */
export const FEATURE_MODULES: Record<string, () => Promise<FeatureModule>> = {
  webmail: async () => {
    const [{ WebmailModule }, { WebmailWebModule }, { WEBMAIL_ERROR_CODES }] = await Promise.all([
      import('../modules/webmail/webmail.module.js'),
      import('../modules/webmail/web-serving/webmail-web.module.js'),
      import('../modules/webmail/services/mail-api.errors.js'),
    ]);
    const api = WebmailModule.register();
    // The webmail web client (static files on `/`) comes with the webmail API it is built on.
    return { module: { ...api, imports: [...(api.imports ?? []), WebmailWebModule] }, errorCodes: WEBMAIL_ERROR_CODES };
  },
  // The admin API and the WebAdmin client on `/admin`.
  webadmin: async () => {
    const [{ WebadminModule }, { WEBADMIN_ERROR_CODES }] = await Promise.all([
      import('../modules/webadmin/webadmin.module.js'),
      import('../modules/webadmin/services/admin-errors.js'),
    ]);
    return { module: WebadminModule.register(), errorCodes: WEBADMIN_ERROR_CODES };
  },
  // Departments, the global address list and department lists.
  org: async () => {
    const [{ OrgModule }, { ORG_ERROR_CODES }] = await Promise.all([
      import('../modules/org/org.module.js'),
      import('../modules/org/resolvers/org-graphql-errors.js'),
    ]);
    return { module: OrgModule.register(), errorCodes: ORG_ERROR_CODES };
  },
  // Its refusals use core's codes only.
  'mobile-api': async () => ({ module: (await import('../mobile-api/mobile-api.module.js')).MobileApiModule.register(), errorCodes: [] }),
  // Backup jobs over GraphQL; the module reads the store through core's snapshot service, handed over here.
  backup: async () => {
    const [{ BackupModule }, { BACKUP_ENVIRONMENT }, { storeSnapshots }] = await Promise.all([
      import('../modules/backup/backup.module.js'),
      import('../modules/backup/backup.tokens.js'),
      import('./module-schemas.js'),
    ]);
    // Its refusals are BAD_USER_INPUT, a core code.
    const module = BackupModule.register({
      provide: BACKUP_ENVIRONMENT,
      inject: [DATA_SOURCES, BLOB_STORE, MAILHIVE_CONFIG],
      useFactory: (sources: DataSources, blobs: BlobStore, config: MailhiveConfig) => ({
        snapshots: storeSnapshots(sources),
        blobs,
        serverVersion: packageVersion(),
        database: databaseKind(config),
      }),
    });
    return { module, errorCodes: [] };
  },
};

/** The modules MAILHIVE_MODULES selects: all of them when it is empty. */
export function selectedModules(selected: readonly string[]): string[] {
  return selected.length > 0 ? [...selected] : Object.keys(FEATURE_MODULES);
}

export async function loadFeatureModules(selected: readonly string[]): Promise<FeatureModule[]> {
  const names = selectedModules(selected);
  const unknown = names.filter((name) => !(name in FEATURE_MODULES));
  if (unknown.length > 0) {
    const available = Object.keys(FEATURE_MODULES).join(', ') || 'none yet';
    throw new StartupError(`MAILHIVE_MODULES: unknown module ${unknown.map((name) => `"${name}"`).join(', ')} (available: ${available})`);
  }
  return Promise.all(names.map((name) => FEATURE_MODULES[name]()));
}
