import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { MailboxService } from '../mail/mailbox.service.js';
import { MessageService } from '../mail/message.service.js';
import { RecipientResolver } from '../mail/recipient-resolver.service.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import type { RecipientResult } from './delivery-result.js';
import { buildDsn } from './dsn-builder.js';
import { OutboundQueueService } from './outbound-queue.service.js';

/**
 * Tells the sender which recipients failed, with an RFC 3464 report: into the sender's INBOX when the sender is
 * local, otherwise queued with a null sender. A message with a null sender (itself a bounce) gets none.
 */
@Injectable()
export class BounceService {
  constructor(
    private readonly recipients: RecipientResolver,
    private readonly messages: MessageService,
    private readonly mailboxes: MailboxService,
    private readonly queue: OutboundQueueService,
    private readonly plugins: PluginHost,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `row.sender` is the envelope sender to report to; `row.createdAt` is when Mailhive accepted the message. */
  async bounce(row: { sender: string; createdAt: number }, failed: readonly RecipientResult[], original: Buffer, expired: boolean): Promise<void> {
    if (row.sender === '' || failed.length === 0) return;
    for (const result of failed) {
      if (!this.plugins.has('queue.bounce')) break;
      const { decision } = await this.plugins.run('queue.bounce', { sender: row.sender, recipient: result.recipient, reason: result.response });
      if (decision.action === 'discard') return;
    }
    const dsn = buildDsn({
      hostname: this.config.hostname, sender: row.sender, failed, original, arrivalDate: row.createdAt, expired,
    });
    const resolution = await this.recipients.resolve(row.sender);
    if (resolution.kind === 'local') {
      const prepared = await this.messages.prepare(dsn);
      const targets = [];
      for (const account of resolution.accounts) {
        const inbox = await this.mailboxes.find(account.id, 'INBOX');
        if (inbox) targets.push({ accountId: account.id, mailboxId: inbox.id });
      }
      await this.messages.file(prepared, targets);
      if (resolution.remote.length > 0) await this.queue.enqueue({ sender: '', recipients: resolution.remote, blob: prepared.blob });
    } else if (resolution.kind === 'remote') {
      const prepared = await this.messages.prepare(dsn);
      await this.queue.enqueue({ sender: '', recipients: [resolution.address], blob: prepared.blob });
    } else {
      this.logger.warn({ sender: row.sender }, 'bounce dropped: the sender address does not exist');
      return;
    }
    this.logger.info({ sender: row.sender, recipients: failed.map((result) => result.recipient), expired }, 'bounce sent');
  }
}
