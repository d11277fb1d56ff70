import { join } from 'node:path';
import type { Logger } from 'pino';
import { FsBlobStore } from '../blob/fs-blob-store.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import type { CoreResources } from '../core.module.js';
import { InProcessEventBus } from '../events/in-process-event-bus.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import { loadPlugins } from '../plugin-host/plugin-loader.js';
import { closeDataSources, databaseKind, openDataSources } from '../store/data-source.factory.js';
import { maskUrl } from '../config/config.schema.js';
import { StartupError } from '../util/startup-error.js';

/** Opens the database (migrating it), the blob store, the event bus and the plugins. */
export async function openCoreResources(config: MailhiveConfig, logger: Logger, options: { plugins: boolean }): Promise<CoreResources> {
  let sources;
  try {
    sources = await openDataSources(config);
  } catch (error) {
    const where = databaseKind(config) === 'mysql' ? maskUrl(config.databaseUrl ?? '') : join(config.dataDir, 'mailhive.sqlite');
    throw new StartupError(`cannot open the database ${where} (MAILHIVE_DATABASE_URL): ${(error as Error).message.split('\n')[0]}`);
  }
  const blobs = new FsBlobStore(join(config.dataDir, 'blobs'));
  await blobs.init();
  const plugins = new PluginHost(logger.child({ component: 'plugins' }));
  if (options.plugins) {
    try {
      for (const plugin of await loadPlugins(config.plugins)) plugins.register(plugin);
    } catch (error) {
      await closeDataSources(sources);
      throw error;
    }
  }
  return { config, logger, sources, blobs, events: new InProcessEventBus(logger.child({ component: 'events' })), plugins };
}

export async function closeCoreResources(resources: CoreResources): Promise<void> {
  await resources.events.close();
  await closeDataSources(resources.sources);
}
