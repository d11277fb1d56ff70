import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ImapServer } from '../imap/imap.server.js';
import { LOGGER } from '../logging/logger.js';
import { Pop3Server } from '../pop3/pop3.server.js';
import { SmtpServer } from '../smtp/smtp.server.js';
import { TlsService } from '../tls/tls.service.js';
import type { ProtocolServer } from './protocol-server.js';

/** Starts the mail protocol listeners after the store is ready, and stops them first on shutdown. */
@Injectable()
export class TransportsService {
  private readonly servers: ProtocolServer[];
  private started: ProtocolServer[] = [];

  constructor(
    smtp: SmtpServer,
    pop3: Pop3Server,
    imap: ImapServer,
    private readonly tls: TlsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.servers = [smtp, pop3, imap];
  }

  async start(): Promise<void> {
    await this.tls.load();
    for (const server of this.servers) {
      await server.start();
      this.started.push(server);
    }
  }

  async stop(): Promise<void> {
    const running = this.started;
    this.started = [];
    await Promise.all(running.map((server) => server.stop().catch((error: unknown) => {
      this.logger.error({ err: error, server: server.name }, 'stopping a listener failed');
    })));
  }
}
