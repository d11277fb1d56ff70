import { Inject, Injectable } from '@nestjs/common';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { activeConnections, connectionsTotal } from '../http/metrics.js';
import { LOGGER } from '../logging/logger.js';
import { TlsService } from '../tls/tls.service.js';
import { listen } from '../transports/listen.js';
import type { ProtocolServer } from '../transports/protocol-server.js';
import { commandRegistry } from './commands/index.js';
import { ImapConnection, type ConnectionOptions } from './imap-connection.js';
import { ImapMailBackend } from './imap-mail-backend.js';

/** The IMAP listeners: port 143 (STARTTLS) and 993 (implicit TLS). */
@Injectable()
export class ImapServer implements ProtocolServer {
  readonly name = 'imap';
  private readonly servers: Server[] = [];
  private readonly connections = new Set<ImapConnection>();
  private readonly options: ConnectionOptions;

  constructor(
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    backend: ImapMailBackend,
    private readonly tls: TlsService,
  ) {
    this.options = {
      backend, logger, registry: commandRegistry(), secureContext: () => tls.secureContext(),
      plaintextAuth: config.imapPlaintextAuth, hostname: config.hostname,
    };
  }

  async start(): Promise<void> {
    if (this.config.imapPort !== 'off') {
      const server = createServer((socket) => this.accept(socket, false));
      await this.open(server, this.config.imapPort, 'MAILHIVE_IMAP_PORT');
    }
    if (this.config.imapsPort !== 'off') {
      const { key, cert } = await this.tls.load();
      const server = createTlsServer({ key, cert }, (socket) => this.accept(socket, true));
      server.on('tlsClientError', (error) => this.logger.debug({ err: error }, 'IMAPS handshake failed'));
      await this.open(server, this.config.imapsPort, 'MAILHIVE_IMAPS_PORT');
    }
  }

  private async open(server: Server, port: number, variable: string): Promise<void> {
    const bound = await listen(server, port, this.config.bind, variable);
    this.servers.push(server);
    this.logger.info({ port: bound }, 'imap listening');
  }

  private accept(socket: Socket, implicitTls: boolean): void {
    connectionsTotal.inc({ protocol: 'imap' });
    activeConnections.inc({ protocol: 'imap' });
    socket.setNoDelay(true);
    const connection = new ImapConnection(socket, this.options, implicitTls);
    this.connections.add(connection);
    void connection.run().finally(() => {
      this.connections.delete(connection);
      activeConnections.dec({ protocol: 'imap' });
    });
  }

  async stop(): Promise<void> {
    const closing = this.servers.map((server) => new Promise((resolve) => server.close(resolve)));
    this.servers.length = 0;
    for (const connection of this.connections) connection.shutdown();
    await Promise.all(closing);
  }
}
