import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../core/config/config.schema.js';
import type { CoreResources } from '../core/core.module.js';
import { busTransportOptions } from '../core/events/bus-transport.js';
import { logsForPeople, NestPinoLogger } from '../core/logging/logger.js';
import { OutboundWorker } from '../core/outbound/outbound-worker.service.js';
import { applyHttpServerLimits } from '../core/transports/http-server-limits.js';
import { TransportsService } from '../core/transports/transports.service.js';
import type { BoundPorts } from '../core/transports/bound-ports.js';
import { listen } from '../core/transports/listen.js';
import { removePortsFile, writePortsFile } from '../core/transports/ports-file.js';
import { packageVersion } from '../core/util/package-version.js';
import { AppModule } from './app.module.js';
import { closeCoreResources, openCoreResources } from './core-resources.js';
import { lockDataDir } from './data-dir-lock.js';
import { loadFeatureModules, selectedModules } from './feature-modules.js';
import { startupFacts, startupSummary, startupWarnings } from './startup-summary.js';
import { warnUnpublishedDkim } from './startup-dkim-check.js';
import { AccountsService } from '../core/accounts/accounts.service.js';
import { DnsResolver } from '../core/dns/dns-resolver.service.js';

export interface RunningMailhive {
  app: NestExpressApplication;
  resources: CoreResources;
  /** The ports bound, as written to `<dataDir>/ports.json`. */
  ports: BoundPorts;
  /** Stops accepting connections, lets in-flight work finish, closes the store. */
  stop(): Promise<void>;
}

/** Starts every listener and the HTTP server; throws StartupError with a one-line reason when it cannot. */
export async function startMailhive(config: MailhiveConfig, logger: Logger): Promise<RunningMailhive> {
  const started = Date.now();
  const unlock = lockDataDir(config.dataDir);
  // Only the process holding the lock may touch ports.json: a refused second server leaves the running one's alone.
  removePortsFile(config.dataDir);
  let resources: CoreResources | null = null;
  let app: NestExpressApplication | null = null;
  try {
    resources = await openCoreResources(config, logger, { plugins: true, bus: true });
    const features = await loadFeatureModules(config.modules);
    app = await NestFactory.create<NestExpressApplication>(AppModule.register(resources, features), {
      logger: new NestPinoLogger(logger.child({ component: 'nest' })),
      abortOnError: false,
      bodyParser: true,
    });
    app.set('trust proxy', false);
    app.disable('x-powered-by');
    if (config.busUrl) app.connectMicroservice(busTransportOptions(config.busUrl), { inheritAppConfig: true });
    await app.init();
    if (config.busUrl) await app.startAllMicroservices();
    const transports = app.get(TransportsService);
    const ports = await transports.start();
    if (config.httpPort !== 'off') {
      const httpServer = app.getHttpServer();
      applyHttpServerLimits(httpServer, config, transports.gate);
      ports.http = await listen(httpServer, config.httpPort, config.bind, 'MAILHIVE_HTTP_PORT');
      logger.info({ port: ports.http }, 'http listening');
    }
    // Written once every listener is bound, before "ready": a port set to 0 is known only from here.
    writePortsFile(config.dataDir, ports);
    const facts = startupFacts(config, ports, selectedModules(config.modules), resources.plugins.loaded(), packageVersion());
    if (logsForPeople(config.logFormat)) process.stdout.write(startupSummary(facts));
    logger.info({ ms: Date.now() - started, ...facts }, 'Mailhive ready');
    for (const warning of startupWarnings(config)) logger.warn(warning);
    warnUnpublishedDkim(app.get(AccountsService), app.get(DnsResolver), logger).catch((error: unknown) =>
      logger.warn({ err: error }, 'DKIM records not checked'),
    );
    const running = app;
    const opened = resources;
    return {
      app: running,
      resources: opened,
      ports,
      stop: async () => {
        await transports.stop();
        // Background jobs finish their work in flight while the services they use (analysis, blobs) are still open.
        await running.get(OutboundWorker).stop();
        await running.close();
        await closeCoreResources(opened);
        unlock();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (resources) await closeCoreResources(resources).catch(() => undefined);
    unlock();
    throw error;
  }
}
