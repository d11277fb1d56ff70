import { Inject, Injectable } from '@nestjs/common';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { TlsService } from '../tls/tls.service.js';
import { listen } from '../transports/listen.js';
import type { ProtocolServer } from '../transports/protocol-server.js';
import { POP3_COMMANDS } from './commands/index.js';
import { Pop3Dispatcher } from './pop3-dispatcher.js';
import { Pop3MailBackend } from './pop3-mail.backend.js';
import { Pop3Session, type Pop3SessionDeps } from './pop3-session.js';
import { POP3_LIMITS } from './pop3.limits.js';

/** POP3 on MAILHIVE_POP3_PORT (STLS) and MAILHIVE_POP3S_PORT (implicit TLS). */
@Injectable()
export class Pop3Server implements ProtocolServer {
  readonly name = 'pop3';
  private readonly servers: Server[] = [];
  private readonly sessions = new Set<Pop3Session>();
  private readonly deps: Pop3SessionDeps;

  constructor(
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly tls: TlsService,
    backend: Pop3MailBackend,
  ) {
    this.deps = {
      dispatcher: new Pop3Dispatcher(POP3_COMMANDS), backend, config, logger,
      secureContext: () => tls.secureContext(),
    };
  }

  async start(): Promise<void> {
    if (this.config.pop3Port !== 'off') {
      const server = createServer((socket) => this.accept(socket, false));
      await this.open(server, this.config.pop3Port, 'MAILHIVE_POP3_PORT');
    }
    if (this.config.pop3sPort !== 'off') {
      const material = await this.tls.load();
      const server = createTlsServer({ key: material.key, cert: material.cert }, (socket: TLSSocket) => this.accept(socket, true));
      server.on('tlsClientError', (error) => this.logger.debug({ err: error, protocol: 'pop3' }, 'pop3s handshake failed'));
      await this.open(server, this.config.pop3sPort, 'MAILHIVE_POP3S_PORT');
    }
  }

  async stop(): Promise<void> {
    const closing = this.servers.map((server) => new Promise((resolve) => server.close(resolve)));
    for (const session of this.sessions) session.shutdown();
    const ended = Promise.all([...closing, ...[...this.sessions].map((session) => session.closed)]);
    // A session stuck in a store call must not hold up shutdown; its lease expires by itself.
    const cap = new Promise((resolve) => setTimeout(resolve, POP3_LIMITS.shutdownGraceMs + 2_000).unref());
    await Promise.race([ended, cap]);
  }

  private async open(server: Server, port: number, variable: string): Promise<void> {
    const bound = await listen(server, port, this.config.bind, variable);
    this.servers.push(server);
    this.logger.info({ port: bound }, 'pop3 listening');
  }

  private accept(socket: Socket, secure: boolean): void {
    socket.setNoDelay(true);
    const session = new Pop3Session(socket, secure, this.deps);
    this.sessions.add(session);
    void session.closed.then(() => this.sessions.delete(session));
    session.start();
  }
}
