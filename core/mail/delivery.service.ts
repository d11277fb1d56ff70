import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { activity } from '../events/activity-events.js';
import { LOGGER } from '../logging/logger.js';
import { messagesStoredTotal } from '../metrics/metrics-registry.js';
import type { RecipientResult } from '../outbound/delivery-result.js';
import { DeliveryReportService, type Notice, type ReportSubject } from '../outbound/delivery-report.service.js';
import { OutboundQueueService } from '../outbound/outbound-queue.service.js';
import type { DeliveryAction } from '../plugin-host/plugin-api.js';
import { pluginHeaders } from '../plugin-host/plugin-headers.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import { planCopy, QUARANTINE } from './delivery-actions.js';
import { messagesQueuedTotal, recipientsRefusedTotal } from './delivery.metrics.js';
import type { DeliveryOutcome, DeliveryRequest, LocalRecipient } from './delivery.types.js';
import { MailError } from './mail.errors.js';
import { MailboxService } from './mailbox.service.js';
import { MessageService, type FiledMessage, type FileTarget, type PreparedMessage } from './message.service.js';
import { RecipientResolver, type Resolution } from './recipient-resolver.service.js';

type Target = FileTarget & { recipient: string };

/**
 * The one way a message reaches mailboxes and the outbound queue, whatever brought it (port 25, submission,
 * GraphQL sendMessage, a delivery report to a local sender):
 * 1. prepare: the blob written once (trace lines + message, fsynced by the blob store) and analysed once;
 * 2. `message.deliver` per local recipient, whose decision and actions say where (and whether) its copy goes;
 * 3. one transaction filing every local copy and queueing the remote recipients; when every local copy fails for
 *    quota, nothing is filed or queued and the message is refused, so a retry duplicates nothing;
 * 4. a delivery report (RFC 3464) to the sender for each local recipient refused after acceptance (plugin reject,
 *    quota), and for the successes a DSN asked for;
 * 5. the metrics and the `message.delivered` hook.
 * Resolves only when the copies and queue rows are durable, so SMTP may answer 250.
 */
@Injectable()
export class DeliveryService {
  constructor(
    private readonly messages: MessageService,
    private readonly mailboxes: MailboxService,
    private readonly recipients: RecipientResolver,
    private readonly queue: OutboundQueueService,
    private readonly reports: DeliveryReportService,
    private readonly plugins: PluginHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    const started = performance.now();
    let prepared: PreparedMessage;
    // The bytes stored, when they are in memory anyway: message.deliver then needs no read back.
    let inMemory: Buffer | null = null;
    try {
      const trace = Buffer.from(request.trace, 'utf8');
      const { source } = request;
      if (source.kind === 'memory') {
        inMemory = trace.length > 0 ? Buffer.concat([trace, source.bytes]) : source.bytes;
        prepared = await this.messages.prepare(inMemory);
      } else {
        prepared = await this.messages.prepare(fromSpool([trace, source.header], source.path, source.offset));
      }
    } catch (error) {
      if (error instanceof MailError) return { kind: 'refused', refusal: { reason: 'mail', code: error.code, text: error.message } };
      throw error;
    }
    const preparedAt = performance.now();
    const log = { session: request.sessionId, via: request.via };
    const targets: Target[] = [];
    // Recipients refused after the message was accepted (plugin reject, quota gone meanwhile) get a report.
    const refused: RecipientResult[] = [];
    const hooked = this.plugins.has('message.deliver');
    const raw = hooked ? (inMemory ?? (await this.messages.readRaw(prepared.blob.id))) : null;
    const headers = raw ? pluginHeaders(raw) : {};
    for (const local of request.local) {
      const actions: DeliveryAction[] = [...(request.actions ?? [])];
      if (raw) {
        const { decision, plugin } = await this.plugins.run('message.deliver', {
          sessionId: request.sessionId,
          sender: request.sender,
          recipient: local.recipient,
          headers,
          size: prepared.blob.size,
          raw,
        });
        if (decision.action === 'tempfail') return { kind: 'refused', refusal: { reason: 'tempfail', text: decision.text } };
        if (decision.action === 'discard' || decision.action === 'reject') {
          this.logger.info({ ...log, recipient: local.recipient, plugin, decision: decision.action }, 'delivery dropped by plugin');
          recipientsRefusedTotal.inc({ via: request.via, reason: decision.action });
          if (decision.action === 'reject') {
            refused.push({
              recipient: local.recipient,
              status: 'failed',
              response: `550 5.7.1 ${decision.text ?? 'rejected by policy'}`,
              remoteMta: null,
            });
          }
          continue;
        }
        if (decision.action === 'quarantine') actions.push(...QUARANTINE);
        if (decision.action === 'accept' && decision.actions) actions.push(...decision.actions);
      }
      const target = await this.target(local, actions, log);
      if (!target) {
        this.logger.error({ ...log, accountId: local.accountId }, 'account has no INBOX');
        return { kind: 'refused', refusal: { reason: 'local-error', text: 'the recipient has no INBOX' } };
      }
      targets.push(target);
    }

    let queued: number[] = [];
    let filed: FiledMessage[];
    try {
      filed =
        targets.length > 0 || request.remote.length > 0
          ? await this.messages.file(prepared, targets, async (manager, stored) => {
              if (targets.length > 0 && stored.length === 0) throw new MailError('OVERQUOTA', 'no local copy could be stored');
              if (request.remote.length > 0)
                queued = await this.queue.insert(manager, {
                  sender: request.sender,
                  recipients: request.remote,
                  blob: prepared.blob,
                  dsn: request.dsn,
                });
            })
          : [];
    } catch (error) {
      if (error instanceof MailError && error.code === 'OVERQUOTA') {
        recipientsRefusedTotal.inc({ via: request.via, reason: 'quota' }, targets.length);
        return { kind: 'refused', refusal: { reason: 'mail', code: 'OVERQUOTA', text: 'every local recipient is over quota' } };
      }
      throw error;
    }
    const filedAt = performance.now();
    if (queued.length > 0) this.queue.notify();
    const storedFor = targets.filter((target) => filed.some((item) => item.accountId === target.accountId));
    if (filed.length < targets.length) {
      // Quota ran out (after RCPT, for SMTP) for some recipients; the others have their copy already.
      const missed = targets.filter((target) => !storedFor.includes(target));
      this.logger.warn({ ...log, recipients: missed.map((target) => target.recipient) }, 'over quota at delivery; copy not stored');
      recipientsRefusedTotal.inc({ via: request.via, reason: 'quota' }, missed.length);
      for (const target of missed)
        refused.push({ recipient: target.recipient, status: 'failed', response: '552 5.2.2 Mailbox full', remoteMta: null });
    }
    // Failures are reported unless NOTIFY says otherwise; local deliveries only when it asked for SUCCESS.
    const delivered =
      request.dsn && Object.keys(request.dsn.recipients).length > 0
        ? storedFor.map((target): RecipientResult => ({
            recipient: target.recipient,
            status: 'delivered',
            response: '250 2.0.0 delivered to mailbox',
            remoteMta: null,
          }))
        : [];
    if (refused.length > 0 || delivered.length > 0)
      await this.report(
        {
          sender: request.sender,
          createdAt: Date.now(),
          dsnRet: request.dsn?.ret,
          dsnEnvid: request.dsn?.envid,
          dsnRecipients: request.dsn?.recipients,
        },
        [
          ...refused.map((result) => ({ result, action: 'failed' as const })),
          ...delivered.map((result) => ({ result, action: 'delivered' as const })),
        ],
        () => (inMemory ? Promise.resolve(inMemory) : this.messages.readRaw(prepared.blob.id)),
      ).catch((error: unknown) => this.logger.error({ err: error, ...log }, 'delivery report failed'));

    messagesStoredTotal.inc({ via: request.via }, filed.length);
    if (queued.length > 0) messagesQueuedTotal.inc({ via: request.via });
    activity.emit('mail.accepted', {
      via: request.via,
      sender: request.sender,
      delivered: storedFor.map((target) => target.recipient),
      refused: refused.map((result) => result.recipient),
      queued: queued.length > 0 ? [...request.remote] : [],
      messageId: prepared.analysis.messageId,
      subject: prepared.analysis.subject,
    });
    if (filed.length > 0 && this.plugins.has('message.delivered')) {
      // Informational and not awaited: the message is stored, and a slow plugin must not hold back the answer.
      this.plugins
        .run('message.delivered', {
          sender: request.sender,
          recipients: storedFor.map((target) => target.recipient),
          blobId: prepared.blob.id,
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'message.delivered hook failed'));
    }
    const ms = (from: number, to: number) => Math.round((to - from) * 10) / 10;
    return {
      kind: 'accepted',
      blobId: prepared.blob.id,
      messageId: prepared.analysis.messageId,
      stored: filed.length,
      queued: queued.length,
      refused: refused.length,
      ms: { prepare: ms(started, preparedAt), file: ms(preparedAt, filedAt) },
    };
  }

  /**
   * Tells the sender what became of its recipients, with an RFC 3464 report delivered like any message (null
   * sender): into the sender's mailbox through message.deliver when the sender is local, else queued. True when
   * a report went out.
   */
  async report(
    row: ReportSubject,
    notices: readonly Notice[],
    original: Buffer | (() => Promise<Buffer>),
    expired = false,
  ): Promise<boolean> {
    const composed = await this.reports.compose(row, notices, original, expired);
    if (!composed) return false;
    const route = localAndRemote(row.sender, await this.recipients.resolve(row.sender));
    if (!route) {
      this.logger.warn({ sender: row.sender }, 'delivery report dropped: the sender address does not exist');
      return false;
    }
    const outcome = await this.deliver({ via: 'bounce', sender: '', trace: '', source: { kind: 'memory', bytes: composed.dsn }, ...route });
    const recipients = composed.due.map((notice) => `${notice.result.recipient}:${notice.action}`);
    if (outcome.kind === 'refused') {
      this.logger.warn({ sender: row.sender, recipients, refusal: outcome.refusal }, 'delivery report not delivered');
      return false;
    }
    this.logger.info({ sender: row.sender, recipients, expired }, 'delivery report sent');
    return true;
  }

  /** The mailbox and flags of one recipient's copy, after its actions; null when the account has no INBOX. */
  private async target(local: LocalRecipient, actions: readonly DeliveryAction[], log: object): Promise<Target | null> {
    if (actions.length === 0)
      return local.inboxId ? { accountId: local.accountId, mailboxId: local.inboxId, recipient: local.recipient } : null;
    const plan = planCopy(actions);
    if (plan.ignored.length > 0)
      this.logger.warn({ ...log, recipient: local.recipient, ignored: plan.ignored }, 'delivery actions not built yet were ignored');
    let mailboxId = local.inboxId;
    if (plan.folder) {
      const folder = plan.folder.startsWith('\\')
        ? await this.mailboxes.getBySpecialUse(local.accountId, plan.folder as Parameters<MailboxService['getBySpecialUse']>[1])
        : await this.mailboxes.find(local.accountId, plan.folder);
      if (folder) mailboxId = folder.id;
      else this.logger.info({ ...log, recipient: local.recipient, folder: plan.folder }, 'fileInto names no folder; filed into INBOX');
    }
    if (!mailboxId) return null;
    return { accountId: local.accountId, mailboxId, recipient: local.recipient, ...(plan.flags.length > 0 ? { flags: plan.flags } : {}) };
  }
}

/** The local accounts and remote addresses a resolved address delivers to; null when it reaches no one. */
export function localAndRemote(address: string, resolution: Resolution): { local: LocalRecipient[]; remote: string[] } | null {
  if (resolution.kind === 'remote') return { local: [], remote: [resolution.address] };
  if (resolution.kind !== 'local') return null;
  return {
    local: resolution.accounts.map((account) => ({
      accountId: account.id,
      inboxId: account.inboxId,
      recipient: account.address,
      rcpt: address,
    })),
    remote: resolution.remote,
  };
}

/** The prefix buffers, then the spool file from `offset` byte for byte. */
function fromSpool(prefix: Buffer[], spoolPath: string, offset: number): Readable {
  return Readable.from(
    (async function* () {
      for (const part of prefix) if (part.length > 0) yield part;
      yield* createReadStream(spoolPath, { start: offset });
    })(),
  );
}
