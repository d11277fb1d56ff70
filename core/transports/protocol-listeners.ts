import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { PortSetting } from '../config/config.schema.js';
import type { TlsService } from '../tls/tls.service.js';
import type { BoundPorts, PortName } from './bound-ports.js';
import type { ConnectionGate, RefusalReason } from './connection-gate.js';
import { listen } from './listen.js';

export interface ListenerPort {
  name: PortName;
  port: PortSetting;
  /** The environment variable that sets the port, named in a bind error. */
  variable: string;
  implicitTls: boolean;
}

/**
 * The listening sockets of a line protocol (IMAP, POP3): a plain port that upgrades with STARTTLS/STLS and an
 * implicit-TLS port, each skipped when set to "off", each behind the connection gate. Sessions are the caller's;
 * this only accepts and closes.
 */
export class ProtocolListeners {
  private readonly servers: Server[] = [];

  constructor(
    private readonly protocol: 'imap' | 'pop3',
    private readonly bind: string,
    private readonly tls: TlsService,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens the ports; `refusal` is the line a client refused by the gate is told on a plain port (on an
   * implicit-TLS port it is closed without one). Resolves with the ports bound.
   */
  async open(
    ports: readonly ListenerPort[],
    gate: ConnectionGate,
    refusal: (reason: RefusalReason) => string,
    accept: (socket: Socket, implicitTls: boolean) => void,
  ): Promise<BoundPorts> {
    const bound: BoundPorts = {};
    for (const { name, port, variable, implicitTls } of ports) {
      if (port === 'off') continue;
      let server: Server;
      if (implicitTls) {
        const { key, cert } = await this.tls.load();
        server = createTlsServer({ key, cert }, (socket) => accept(socket, true));
        server.on('tlsClientError', (error) => this.logger.debug({ err: error, protocol: this.protocol }, 'TLS handshake failed'));
      } else {
        server = createServer((socket) => accept(socket, false));
      }
      gate.guard(server, { protocol: this.protocol, refusal: implicitTls ? null : refusal });
      bound[name] = await listen(server, port, this.bind, variable);
      this.servers.push(server);
      this.logger.info({ port: bound[name] }, `${this.protocol} listening`);
    }
    return bound;
  }

  /** Stops accepting; resolves when every listening socket is closed (open sessions are the caller's to end). */
  close(): Promise<void> {
    const closing = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    this.servers.length = 0;
    return Promise.all(closing).then(() => undefined);
  }
}
