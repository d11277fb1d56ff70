import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { GreetingServer } from '../transports/greeting-server.js';
import type { ProtocolServer } from '../transports/protocol-server.js';

@Injectable()
export class SmtpServer implements ProtocolServer {
  readonly name = 'smtp';
  private readonly server: GreetingServer;

  constructor(@Inject(MAILHIVE_CONFIG) config: MailhiveConfig, @Inject(LOGGER) logger: Logger) {
    this.server = new GreetingServer('smtp', [
      { port: config.smtpPort, variable: 'MAILHIVE_SMTP_PORT' },
      { port: config.submissionPort, variable: 'MAILHIVE_SUBMISSION_PORT' },
      { port: config.smtpsPort, variable: 'MAILHIVE_SMTPS_PORT' },
    ], config.bind, '421 4.3.2 Mailhive SMTP is not available yet\r\n', logger);
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
