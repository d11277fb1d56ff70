import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { GreetingServer } from '../transports/greeting-server.js';
import type { ProtocolServer } from '../transports/protocol-server.js';

@Injectable()
export class Pop3Server implements ProtocolServer {
  readonly name = 'pop3';
  private readonly server: GreetingServer;

  constructor(@Inject(MAILHIVE_CONFIG) config: MailhiveConfig, @Inject(LOGGER) logger: Logger) {
    this.server = new GreetingServer('pop3', [
      { port: config.pop3Port, variable: 'MAILHIVE_POP3_PORT' }, { port: config.pop3sPort, variable: 'MAILHIVE_POP3S_PORT' },
    ], config.bind, '-ERR Mailhive POP3 is not available yet\r\n', logger);
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
