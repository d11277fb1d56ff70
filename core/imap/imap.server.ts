import { Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { activeConnections, connectionsTotal } from '../metrics/metrics-registry.js';
import { LOGGER } from '../logging/logger.js';
import { TlsService } from '../tls/tls.service.js';
import type { BoundPorts } from '../transports/bound-ports.js';
import type { ConnectionGate, RefusalReason } from '../transports/connection-gate.js';
import { ProtocolListeners } from '../transports/protocol-listeners.js';
import type { ProtocolServer } from '../transports/protocol-server.js';
import { commandRegistry } from './commands/index.js';
import { ImapConnection, type ConnectionOptions } from './imap-connection.js';
import { ImapMailBackend } from './imap-mail-backend.js';

/** RFC 9051 §7.1.5: BYE as the greeting refuses the connection; RFC 5530 §3 UNAVAILABLE: try again later. */
const REFUSALS: Record<RefusalReason, string> = {
  address: '* BYE [UNAVAILABLE] Too many connections from your address, try again later\r\n',
  ceiling: '* BYE [UNAVAILABLE] Too many connections, try again later\r\n',
};

/** The IMAP listeners: port 143 (STARTTLS) and 993 (implicit TLS). */
@Injectable()
export class ImapServer implements ProtocolServer {
  readonly name = 'imap';
  private readonly listeners: ProtocolListeners;
  private readonly connections = new Set<ImapConnection>();
  private readonly options: ConnectionOptions;

  constructor(
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) logger: Logger,
    backend: ImapMailBackend,
    tls: TlsService,
  ) {
    this.listeners = new ProtocolListeners('imap', config.bind, tls, logger);
    this.options = {
      backend,
      logger,
      registry: commandRegistry(),
      secureContext: () => tls.secureContext(),
      plaintextAuth: config.imapPlaintextAuth,
      hostname: config.hostname,
      loginTimeoutMs: config.imapLoginTimeoutSeconds * 1000,
    };
  }

  start(gate: ConnectionGate): Promise<BoundPorts> {
    return this.listeners.open(
      [
        { name: 'imap', port: this.config.imapPort, variable: 'MAILHIVE_IMAP_PORT', implicitTls: false },
        { name: 'imaps', port: this.config.imapsPort, variable: 'MAILHIVE_IMAPS_PORT', implicitTls: true },
      ],
      gate,
      (reason) => REFUSALS[reason],
      (socket, implicitTls) => this.accept(socket, implicitTls),
    );
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
    const closing = this.listeners.close();
    for (const connection of this.connections) connection.shutdown();
    await closing;
  }
}
