import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import { messagesStoredTotal } from '../metrics/metrics-registry.js';
import { LOGGER } from '../logging/logger.js';
import { MailError } from '../mail/mail.errors.js';
import { MailboxService } from '../mail/mailbox.service.js';
import { MessageService, type FiledMessage, type FileTarget, type PreparedMessage } from '../mail/message.service.js';
import { BounceService } from '../outbound/bounce.service.js';
import type { RecipientResult } from '../outbound/delivery-result.js';
import type { MessageDsn } from '../outbound/dsn-params.js';
import { OutboundQueueService } from '../outbound/outbound-queue.service.js';
import { pluginHeaders } from '../plugin-host/plugin-headers.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import { mailErrorReply, pluginReply, REPLIES, type SmtpReply } from './smtp-reply.js';
import type { LocalRecipient } from './smtp-session.js';

export interface DeliveryRequest {
  sessionId: string;
  sender: string;
  /** Trace header lines to put before the message, CRLF-terminated. */
  trace: string;
  /** The message after the trace lines. */
  source: MessageSource;
  local: readonly LocalRecipient[];
  remote: readonly string[];
  /** A smtp.data decision to file every local copy into Junk. */
  quarantine: boolean;
  /** RFC 3461 parameters of the envelope, carried into the queue and the delivery reports. */
  dsn?: MessageDsn;
}

/**
 * The received message: in memory when small, else the spool file; `header` replaces the spool file's first
 * `offset` bytes (the header block, when a field had to be renamed).
 */
export type MessageSource =
  | { kind: 'memory'; bytes: Buffer }
  | { kind: 'spool'; path: string; header: Buffer; offset: number };

export type DeliveryOutcome =
  /** `ms`: time spent writing and analysing the message (`prepare`) and filing it (`file`, until durable). */
  | { kind: 'accepted'; blobId: string; stored: number; queued: number; ms: { prepare: number; file: number } }
  | { kind: 'refused'; reply: SmtpReply };

/**
 * Stores a received message: the blob once (trace headers + spool file, fsynced by the blob store), the
 * message.deliver hook per local recipient, one transaction filing every local copy, then the outbound rows of
 * the remote recipients. Resolves only when all of it is durable, so the caller may answer 250.
 */
@Injectable()
export class SmtpDeliveryService {
  constructor(
    private readonly messages: MessageService,
    private readonly mailboxes: MailboxService,
    private readonly queue: OutboundQueueService,
    private readonly bounces: BounceService,
    private readonly plugins: PluginHost,
    @Inject(EVENT_BUS) private readonly events: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    let prepared: PreparedMessage;
    const started = performance.now();
    try {
      const trace = Buffer.from(request.trace, 'utf8');
      const { source } = request;
      prepared = await this.messages.prepare(source.kind === 'memory'
        ? Buffer.concat([trace, source.bytes])
        : fromSpool([trace, source.header], source.path, source.offset));
    } catch (error) {
      if (error instanceof MailError) return { kind: 'refused', reply: mailErrorReply(error.code) };
      throw error;
    }
    const preparedAt = performance.now();
    const targets: (FileTarget & { recipient: string })[] = [];
    // Recipients refused after the 250 was promised (plugin reject, quota gone meanwhile) get a bounce.
    const refused: RecipientResult[] = [];
    const raw = this.plugins.has('message.deliver') ? await this.messages.readRaw(prepared.blob.id) : null;
    for (const local of request.local) {
      let junk = request.quarantine;
      if (raw) {
        const { decision, plugin } = await this.plugins.run('message.deliver', {
          sessionId: request.sessionId, sender: request.sender, recipient: local.recipient,
          headers: pluginHeaders(raw), size: prepared.blob.size, raw,
        });
        if (decision.action === 'tempfail') return { kind: 'refused', reply: pluginReply(decision) };
        if (decision.action === 'discard' || decision.action === 'reject') {
          this.logger.info({ session: request.sessionId, recipient: local.recipient, plugin, decision: decision.action }, 'delivery dropped by plugin');
          if (decision.action === 'reject') {
            refused.push({ recipient: local.recipient, status: 'failed', response: `550 5.7.1 ${decision.text ?? 'rejected by policy'}`, remoteMta: null });
          }
          continue;
        }
        if (decision.action === 'quarantine') junk = true;
      }
      const mailboxId = (junk ? (await this.mailboxes.getBySpecialUse(local.accountId, '\\Junk'))?.id : null) ?? local.inboxId;
      if (!mailboxId) {
        this.logger.error({ accountId: local.accountId }, 'account has no INBOX');
        return { kind: 'refused', reply: REPLIES.localError };
      }
      targets.push({ accountId: local.accountId, mailboxId, recipient: local.recipient });
    }
    // Local copies and queued remote recipients commit together; when every local copy failed for quota the whole
    // message is refused (and nothing queued), so the client's retry duplicates nothing.
    let queued: number[] = [];
    let filed: FiledMessage[];
    try {
      filed = targets.length > 0 || request.remote.length > 0
        ? await this.messages.file(prepared, targets, async (manager, stored) => {
          if (targets.length > 0 && stored.length === 0) throw new MailError('OVERQUOTA', 'no local copy could be stored');
          if (request.remote.length > 0) queued = await this.queue.insert(manager, {
            sender: request.sender, recipients: request.remote, blob: prepared.blob, dsn: request.dsn,
          });
        })
        : [];
    } catch (error) {
      if (error instanceof MailError && error.code === 'OVERQUOTA') return { kind: 'refused', reply: REPLIES.mailboxFull };
      throw error;
    }
    const filedAt = performance.now();
    if (queued.length > 0) this.queue.notify();
    if (filed.length < targets.length) {
      // Quota ran out between RCPT and DATA for some recipients; the others have their copy already.
      const missed = targets.filter((target) => !filed.some((item) => item.accountId === target.accountId));
      this.logger.warn({ session: request.sessionId, recipients: missed.map((target) => target.recipient) }, 'over quota at delivery; copy not stored');
      for (const target of missed) refused.push({ recipient: target.recipient, status: 'failed', response: '552 5.2.2 Mailbox full', remoteMta: null });
    }
    // Failures are reported unless NOTIFY says otherwise; local deliveries only when it asked for SUCCESS.
    const delivered = request.dsn && Object.keys(request.dsn.recipients).length > 0
      ? targets.filter((target) => filed.some((item) => item.accountId === target.accountId))
        .map((target): RecipientResult => ({ recipient: target.recipient, status: 'delivered', response: '250 2.0.0 delivered to mailbox', remoteMta: null }))
      : [];
    if (refused.length > 0 || delivered.length > 0) await this.bounces.report(
      { sender: request.sender, createdAt: Date.now(), dsnRet: request.dsn?.ret, dsnEnvid: request.dsn?.envid, dsnRecipients: request.dsn?.recipients },
      [...refused.map((result) => ({ result, action: 'failed' as const })), ...delivered.map((result) => ({ result, action: 'delivered' as const }))],
      () => this.messages.readRaw(prepared.blob.id),
    ).catch((error: unknown) => this.logger.error({ err: error, session: request.sessionId }, 'delivery report failed'));
    messagesStoredTotal.inc({ via: 'smtp' }, filed.length);
    if (filed.length > 0 && this.plugins.has('message.delivered')) {
      // Informational and not awaited: the message is stored, and a slow plugin must not hold back the 250.
      const recipients = targets.filter((target) => filed.some((item) => item.accountId === target.accountId)).map((target) => target.recipient);
      this.plugins.run('message.delivered', { sender: request.sender, recipients, blobId: prepared.blob.id })
        .catch((error: unknown) => this.logger.error({ err: error }, 'message.delivered hook failed'));
    }
    if (filed.length > 0) {
      this.events.emit('message.delivered', {
        blobId: prepared.blob.id, sender: request.sender,
        deliveries: filed.map((item) => ({
          accountId: item.accountId, mailboxId: item.mailboxId, messageId: item.messageId,
          recipient: targets.find((target) => target.accountId === item.accountId)?.recipient ?? '',
        })),
      });
    }
    const ms = (from: number, to: number) => Math.round((to - from) * 10) / 10;
    return { kind: 'accepted', blobId: prepared.blob.id, stored: filed.length, queued: queued.length, ms: { prepare: ms(started, preparedAt), file: ms(preparedAt, filedAt) } };
  }
}

/** The prefix buffers, then the spool file from `offset` byte for byte. */
function fromSpool(prefix: Buffer[], spoolPath: string, offset: number): Readable {
  return Readable.from((async function* () {
    for (const part of prefix) if (part.length > 0) yield part;
    yield* createReadStream(spoolPath, { start: offset });
  })());
}
