import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { GreetingServer } from '../transports/greeting-server.js';
import type { ProtocolServer } from '../transports/protocol-server.js';

@Injectable()
export class ImapServer implements ProtocolServer {
  readonly name = 'imap';
  private readonly server: GreetingServer;

  constructor(@Inject(MAILHIVE_CONFIG) config: MailhiveConfig, @Inject(LOGGER) logger: Logger) {
    this.server = new GreetingServer('imap', [
      { port: config.imapPort, variable: 'MAILHIVE_IMAP_PORT' }, { port: config.imapsPort, variable: 'MAILHIVE_IMAPS_PORT' },
    ], config.bind, '* BYE Mailhive IMAP is not available yet\r\n', logger);
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
