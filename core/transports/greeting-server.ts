import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { PortSetting } from '../config/config.schema.js';
import { listen } from './listen.js';
import type { ProtocolServer } from './protocol-server.js';

/** Placeholder listener of a protocol whose server is not written yet: greets and closes. */
export class GreetingServer implements ProtocolServer {
  private readonly servers: Server[] = [];

  constructor(
    readonly name: string,
    private readonly ports: { port: PortSetting; variable: string }[],
    private readonly bind: string,
    private readonly greeting: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    for (const { port, variable } of this.ports) {
      if (port === 'off') continue;
      const server = createServer((socket: Socket) => socket.end(this.greeting));
      await listen(server, port, this.bind, variable);
      this.servers.push(server);
      this.logger.info({ port: (server.address() as { port: number }).port }, `${this.name} listening`);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
