import { join } from 'node:path';
import type { Logger } from 'pino';
import { openBlobStore } from '../core/blob/open-blob-store.js';
import { BlobStoreUnreachableError } from '../core/blob/s3-blob-store.js';
import type { MailhiveConfig } from '../core/config/config.schema.js';
import type { CoreResources } from '../core/core.module.js';
import { Logger as NestLogger } from '@nestjs/common';
import { NestPinoLogger } from '../core/logging/logger.js';
import type { EventBus } from '../core/events/event-bus.js';
import { InProcessEventBus } from '../core/events/in-process-event-bus.js';
import { NetworkedEventBus } from '../core/events/networked-event-bus.js';
import { PluginHost } from '../core/plugin-host/plugin-host.service.js';
import { loadPlugins } from '../core/plugin-host/plugin-loader.js';
import { closeDataSources, databaseKind, openDataSources } from '../core/store/data-source.factory.js';
import { maskUrl } from '../core/config/config.schema.js';
import { StartupError } from '../core/util/startup-error.js';
import { MODULE_SCHEMAS } from './module-schemas.js';

/** Opens the database (migrating it), the blob store, the event bus and the plugins. */
export async function openCoreResources(
  config: MailhiveConfig,
  logger: Logger,
  options: { plugins: boolean; bus?: boolean },
): Promise<CoreResources> {
  let sources;
  try {
    sources = await openDataSources(config, MODULE_SCHEMAS);
  } catch (error) {
    const where = databaseKind(config) === 'mysql' ? maskUrl(config.databaseUrl ?? '') : join(config.dataDir, 'mailhive.sqlite');
    throw new StartupError(`cannot open the database ${where} (MAILHIVE_DATABASE_URL): ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    const blobs = await openBlobStore(config).catch((error: unknown) => {
      if (error instanceof BlobStoreUnreachableError) throw new StartupError(`${error.message.split('\n')[0]} (MAILHIVE_BLOB_DIR)`);
      throw error;
    });
    const plugins = new PluginHost(logger.child({ component: 'plugins' }));
    if (options.plugins) {
      for (const loaded of await loadPlugins(config.plugins)) {
        if (loaded.ok) plugins.register(loaded.plugin);
        else plugins.registerFailure(loaded.name, loaded.error);
      }
    }
    const events = await openEventBus(config, logger, options.bus ?? false);
    return { config, logger, sources, blobs, events, plugins };
  } catch (error) {
    await closeDataSources(sources);
    throw error;
  }
}

async function openEventBus(config: MailhiveConfig, logger: Logger, networked: boolean): Promise<EventBus> {
  const local = new InProcessEventBus(logger.child({ component: 'events' }));
  if (!networked || !config.busUrl) return local;
  // Loaded only for a networked bus: @nestjs/microservices costs a third of a second, which every CLI command would pay.
  const [{ ClientProxyFactory }, { busTransportOptions }] = await Promise.all([
    import('@nestjs/microservices'),
    import('../core/events/bus-transport.js'),
  ]);
  // The bus client logs through Nest's static logger before any Nest application exists.
  NestLogger.overrideLogger(new NestPinoLogger(logger.child({ component: 'nest' })));
  const bus = new NetworkedEventBus(
    local,
    ClientProxyFactory.create(busTransportOptions(config.busUrl)),
    logger.child({ component: 'bus' }),
  );
  try {
    await bus.connect();
  } catch (error) {
    throw new StartupError(
      `cannot reach the message bus ${maskUrl(config.busUrl)} (MAILHIVE_BUS_URL): ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return bus;
}

export async function closeCoreResources(resources: CoreResources): Promise<void> {
  await resources.events.close();
  await resources.blobs.close();
  await closeDataSources(resources.sources);
}
