import { Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import { LOGGER } from '../logging/logger.js';
import { TlsService } from '../tls/tls.service.js';
import type { BoundPorts } from '../transports/bound-ports.js';
import type { ConnectionGate, RefusalReason } from '../transports/connection-gate.js';
import { ProtocolListeners } from '../transports/protocol-listeners.js';
import type { ProtocolServer } from '../transports/protocol-server.js';
import { POP3_COMMANDS } from './commands/index.js';
import { Pop3Dispatcher } from './pop3-dispatcher.js';
import { Pop3MailBackend } from './pop3-mail.backend.js';
import { Pop3Session, type Pop3SessionDeps } from './pop3-session.js';
import { POP3_LIMITS } from './pop3.limits.js';

/** RFC 3206 SYS/TEMP: a passing condition on the server's side; the client may try again later. */
const REFUSALS: Record<RefusalReason, string> = {
  address: '-ERR [SYS/TEMP] Too many connections from your address, try again later\r\n',
  ceiling: '-ERR [SYS/TEMP] Too many connections, try again later\r\n',
};

/** POP3 on MAILHIVE_POP3_PORT (STLS) and MAILHIVE_POP3S_PORT (implicit TLS). */
@Injectable()
export class Pop3Server implements ProtocolServer {
  readonly name = 'pop3';
  private readonly listeners: ProtocolListeners;
  private readonly sessions = new Set<Pop3Session>();
  private readonly deps: Pop3SessionDeps;

  constructor(
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) logger: Logger,
    tls: TlsService,
    backend: Pop3MailBackend,
    @Inject(EVENT_BUS) events: EventBus,
  ) {
    // A revoked app password ends the sessions it opened on every node (the bus carries the event to each).
    events.on('credential.revoked', (event) => {
      for (const session of this.sessions) session.credentialRevoked(event.credentialId);
    });
    this.listeners = new ProtocolListeners('pop3', config.bind, tls, logger);
    this.deps = {
      dispatcher: new Pop3Dispatcher(POP3_COMMANDS),
      backend,
      config,
      logger,
      secureContext: () => tls.secureContext(),
    };
  }

  start(gate: ConnectionGate): Promise<BoundPorts> {
    return this.listeners.open(
      [
        { name: 'pop3', port: this.config.pop3Port, variable: 'MAILHIVE_POP3_PORT', implicitTls: false },
        { name: 'pop3s', port: this.config.pop3sPort, variable: 'MAILHIVE_POP3S_PORT', implicitTls: true },
      ],
      gate,
      (reason) => REFUSALS[reason],
      (socket, secure) => this.accept(socket, secure),
    );
  }

  async stop(): Promise<void> {
    const closing = this.listeners.close();
    for (const session of this.sessions) session.shutdown();
    const ended = Promise.all([closing, ...[...this.sessions].map((session) => session.closed)]);
    // A session stuck in a store call must not hold up shutdown; its lease expires by itself.
    const cap = new Promise((resolve) => setTimeout(resolve, POP3_LIMITS.shutdownGraceMs + 2_000).unref());
    await Promise.race([ended, cap]);
  }

  private accept(socket: Socket, secure: boolean): void {
    socket.setNoDelay(true);
    const session = new Pop3Session(socket, secure, this.deps);
    this.sessions.add(session);
    void session.closed.then(() => this.sessions.delete(session));
    session.start();
  }
}
