import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { TlsService } from '../tls/tls.service.js';
import { ConnectionGate } from './connection-gate.js';
import { readDescriptorLimit } from './descriptor-limit.js';
import { gateLimits } from './gate-limits.js';
import { ListeningPorts } from './listening-ports.js';
import type { BoundPorts } from './bound-ports.js';
import { PROTOCOL_SERVERS, type ProtocolServer } from './protocol-server.js';

/**
 * Starts the mail protocol listeners after the store is ready, and stops them first on shutdown. Owns the one
 * connection gate of the process, which the HTTP server is put behind as well.
 */
@Injectable()
export class TransportsService {
  readonly gate: ConnectionGate;
  private started: ProtocolServer[] = [];

  constructor(
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
    @Inject(PROTOCOL_SERVERS) private readonly servers: readonly ProtocolServer[],
    private readonly tls: TlsService,
    private readonly listening: ListeningPorts,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const descriptors = readDescriptorLimit();
    const limits = gateLimits(config, descriptors);
    if (limits.ceiling >= descriptors) {
      logger.warn(
        { maxConnections: limits.ceiling, descriptorLimit: descriptors },
        'MAILHIVE_MAX_CONNECTIONS is not below the open-file limit: a connection flood can leave the store without descriptors',
      );
    }
    this.gate = new ConnectionGate(limits, logger);
  }

  /** Opens every protocol listener; resolves with the ports they bound. */
  async start(): Promise<BoundPorts> {
    await this.tls.load();
    const bound: BoundPorts = {};
    for (const server of this.servers) {
      Object.assign(bound, await server.start(this.gate));
      this.started.push(server);
    }
    this.listening.record(bound);
    return bound;
  }

  async stop(): Promise<void> {
    const running = this.started;
    this.started = [];
    await Promise.all(
      running.map((server) =>
        server.stop().catch((error: unknown) => {
          this.logger.error({ err: error, server: server.name }, 'stopping a listener failed');
        }),
      ),
    );
  }
}
