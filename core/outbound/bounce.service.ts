import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { MessageService } from '../mail/message.service.js';
import { RecipientResolver } from '../mail/recipient-resolver.service.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import type { RecipientResult } from './delivery-result.js';
import { buildDsn, type DsnAction } from './dsn-builder.js';
import { wantsNotice, type DsnNotify, type RecipientDsn } from './dsn-params.js';
import { OutboundQueueService } from './outbound-queue.service.js';

/** The queue row (or accepted message) a report is about: its envelope sender, arrival and DSN parameters. */
export interface ReportSubject {
  /** The envelope sender to report to; '' (a bounce itself) gets no report. */
  sender: string;
  /** When Mailhive accepted the message. */
  createdAt: number;
  dsnRet?: 'FULL' | 'HDRS' | null;
  dsnEnvid?: string | null;
  dsnRecipients?: Readonly<Record<string, RecipientDsn>> | null;
  expiresAt?: number;
}

/** One recipient's outcome and what the report says of it. */
export interface Notice {
  result: RecipientResult;
  action: DsnAction;
}

/** RFC 3461 §4.1: which NOTIFY value asks for a report of each action. */
const NOTIFY_FOR: Record<DsnAction, DsnNotify> = { failed: 'FAILURE', delayed: 'DELAY', delivered: 'SUCCESS', relayed: 'SUCCESS' };

/**
 * Tells the sender what became of its recipients, with an RFC 3464 report: into the sender's INBOX when the
 * sender is local, otherwise queued with a null sender. Only the recipients whose NOTIFY asks for the action are
 * reported (failures alone when NOTIFY was not given). A message with a null sender (itself a report) gets none.
 */
@Injectable()
export class BounceService {
  constructor(
    private readonly recipients: RecipientResolver,
    private readonly messages: MessageService,
    private readonly queue: OutboundQueueService,
    private readonly plugins: PluginHost,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A failure report for these recipients (`expired`: the queue lifetime ran out). */
  bounce(row: ReportSubject, failed: readonly RecipientResult[], original: Buffer, expired: boolean): Promise<boolean> {
    return this.report(row, failed.map((result) => ({ result, action: 'failed' })), original, expired);
  }

  /**
   * Sends one report for the notices the recipients asked for; `original` is read only when one is due.
   * True when a report went out.
   */
  async report(row: ReportSubject, notices: readonly Notice[], original: Buffer | (() => Promise<Buffer>), expired = false): Promise<boolean> {
    if (row.sender === '') return false;
    const dsnOf = (recipient: string) => row.dsnRecipients?.[recipient.toLowerCase()];
    const due = notices.filter((notice) => wantsNotice(dsnOf(notice.result.recipient), NOTIFY_FOR[notice.action]));
    if (due.length === 0) return false;
    for (const notice of due) {
      if (notice.action !== 'failed' || !this.plugins.has('queue.bounce')) continue;
      const { decision } = await this.plugins.run('queue.bounce', { sender: row.sender, recipient: notice.result.recipient, reason: notice.result.response });
      if (decision.action === 'discard') return false;
    }
    const dsn = buildDsn({
      hostname: this.config.hostname, sender: row.sender, original: Buffer.isBuffer(original) ? original : await original(),
      recipients: due.map((notice) => ({
        ...notice, orcpt: dsnOf(notice.result.recipient)?.orcpt ?? null,
        willRetryUntil: notice.action === 'delayed' ? row.expiresAt : undefined,
      })),
      ret: row.dsnRet ?? null, envid: row.dsnEnvid ?? null, arrivalDate: row.createdAt, expired,
    });
    const resolution = await this.recipients.resolve(row.sender);
    if (resolution.kind === 'local') {
      const prepared = await this.messages.prepare(dsn);
      const targets = resolution.accounts.flatMap((account) => (account.inboxId ? [{ accountId: account.id, mailboxId: account.inboxId }] : []));
      await this.messages.file(prepared, targets);
      if (resolution.remote.length > 0) await this.queue.enqueue({ sender: '', recipients: resolution.remote, blob: prepared.blob });
    } else if (resolution.kind === 'remote') {
      const prepared = await this.messages.prepare(dsn);
      await this.queue.enqueue({ sender: '', recipients: [resolution.address], blob: prepared.blob });
    } else {
      this.logger.warn({ sender: row.sender }, 'delivery report dropped: the sender address does not exist');
      return false;
    }
    this.logger.info({ sender: row.sender, recipients: due.map((notice) => `${notice.result.recipient}:${notice.action}`), expired }, 'delivery report sent');
    return true;
  }
}
