import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LOGGER } from '../logging/logger.js';
import { logMessageEvent, queueIdOf, type MessageEventKind } from '../logging/message-event.js';
import { pluginHeaders } from '../plugin-host/plugin-headers.js';
import { MessageService } from '../mail/message.service.js';
import type { OutboundMessageEntity } from '../store/entities/outbound-message.entity.js';
import { BounceService, type Notice } from './bounce.service.js';
import type { RecipientResult } from './delivery-result.js';
import { DkimSigner } from './dkim-signer.service.js';
import { wantsNotice, type MessageDsn } from '../envelope/dsn-params.js';
import { OutboundQueueService } from './outbound-queue.service.js';
import { activity, type OutboundAttempt } from '../events/activity-events.js';
import { outboundRecipientsTotal } from './outbound.metrics.js';
import { RemoteDeliveryService } from './remote-delivery.service.js';

/** Rows taken per claim; each is one destination domain delivered in parallel with the others. */
const BATCH = 10;
/** How long stop() waits for deliveries in flight before closing their connections. */
const STOP_GRACE_MS = 3000;

/**
 * Delivers the outbound queue: claims due rows, signs with DKIM, hands each row's recipients to their domain's MX
 * in one SMTP transaction (the rows of one domain over one connection), then finishes, defers (with back-off) or
 * bounces each recipient. A background job of the application, independent of the listeners: it starts when the
 * application has started (mail sent over GraphQL leaves with every SMTP port off) and stops before the store
 * closes. Command-line tools build the core services without it.
 */
@Injectable()
export class OutboundWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private active: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** This worker's name on the rows it holds. */
  private readonly owner = randomUUID();

  constructor(
    private readonly queue: OutboundQueueService,
    private readonly messages: MessageService,
    private readonly remote: RemoteDeliveryService,
    private readonly dkim: DkimSigner,
    private readonly bounces: BounceService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.queue.onEnqueued(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.config.outboundPollSeconds * 1000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    this.timer = null;
    this.unsubscribe = null;
    const active = this.active;
    if (!active) return;
    const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STOP_GRACE_MS).unref());
    if ((await Promise.race([active, grace])) === 'late') {
      this.remote.closeAll();
      await active;
    }
  }

  /** Starts a drain unless one is running; a kick during a drain makes it look again when done. */
  private kick(): void {
    if (this.stopped) return;
    if (this.active) {
      this.again = true;
      return;
    }
    this.active = this.drain()
      .catch((error: unknown) => this.logger.error({ err: error }, 'outbound queue run failed'))
      .finally(() => {
        this.active = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const rows = await this.queue.claim(BATCH, this.owner);
      if (rows.length === 0) return;
      // Rows of one domain go out over one connection, one after the other; domains in parallel.
      const byDomain = new Map<string, OutboundMessageEntity[]>();
      for (const row of rows) byDomain.set(row.domain, [...(byDomain.get(row.domain) ?? []), row]);
      // The lease is renewed well before it lapses, so that only a dead node's rows go to another node.
      const renewal = setInterval(
        () => {
          this.queue
            .renew(
              rows.map((row) => row.id),
              this.owner,
            )
            .catch((error: unknown) => this.logger.warn({ err: error }, 'renewing the outbound lease failed'));
        },
        (this.config.outboundLeaseSeconds * 1000) / 3,
      );
      renewal.unref();
      try {
        await Promise.all([...byDomain].map(([domain, group]) => this.deliverDomain(domain, group)));
      } finally {
        clearInterval(renewal);
      }
    }
  }

  private async deliverDomain(domain: string, rows: OutboundMessageEntity[]): Promise<void> {
    const ready: { row: OutboundMessageEntity; original: Buffer; signed: Buffer }[] = [];
    for (const row of rows) {
      try {
        const original = await this.messages.readRaw(row.blobId);
        ready.push({ row, original, signed: await this.dkim.sign(row.sender, original) });
      } catch (error) {
        // A local failure (blob unreadable, store error) is retried like a remote 4xx, and bounces on expiry.
        this.logger.error({ err: error, queueId: row.id }, 'outbound message could not be prepared');
        const response = `451 4.3.0 local error: ${(error as Error).message}`;
        await this.settle(
          row,
          row.recipients.map((recipient) => ({ recipient, status: 'deferred', response, remoteMta: null })),
          Buffer.alloc(0),
        );
      }
    }
    if (ready.length === 0) return;
    // Each row is recorded as soon as its transaction is over, not after the whole batch: a node killed mid-batch
    // leaves at most one delivered row unrecorded, which another node then sends again.
    const settled = new Set<number>();
    const results = await this.remote.deliver(
      domain,
      ready.map(({ row, signed }) => ({
        sender: row.sender,
        recipients: row.recipients,
        message: signed,
        dsn: dsnOf(row),
      })),
      async (index, result) => {
        settled.add(index);
        await this.settle(ready[index]!.row, result, ready[index]!.original);
      },
    );
    for (const [index, { row, original }] of ready.entries()) if (!settled.has(index)) await this.settle(row, results[index]!, original);
  }

  /**
   * Records one row's attempt: delivered recipients leave, deferred ones wait (or expire), failed ones bounce.
   * Delivery reports follow the recipients' NOTIFY (RFC 3461 §6.2): failures, one delay warning after the
   * configured time, and `relayed` for a success handed to a server that does not report it itself.
   */
  private async settle(row: OutboundMessageEntity, results: RecipientResult[], original: Buffer): Promise<void> {
    const log = this.logger.child({ queueId: row.id, domain: row.domain });
    const failed = results.filter((result) => result.status === 'failed');
    const deferred = results.filter((result) => result.status === 'deferred');
    const delivered = results.filter((result) => result.status === 'delivered');
    outboundRecipientsTotal.inc({ result: 'delivered' }, delivered.length);
    outboundRecipientsTotal.inc({ result: 'failed' }, failed.length);
    // One report per group of recipients with the same result: a log line for each, and the activity event.
    let messageId: string | undefined;
    const report = (kind: OutboundEventKind, group: readonly RecipientResult[]) => {
      if (group.length === 0) return;
      if (log.isLevelEnabled('info')) {
        // The header is read for the log line only, so only when the line is written.
        messageId ??= pluginHeaders(original)['message-id'] ?? '';
        for (const result of group) {
          logMessageEvent(log, {
            event: kind,
            queueId: queueIdOf(row.blobId),
            messageId,
            from: row.sender,
            to: [result.recipient],
            relay: result.remoteMta ?? 'none',
            delay: (Date.now() - row.createdAt) / 1000,
            status: result.response,
          });
        }
      }
      activity.emit('outbound.attempt', {
        queueId: row.id,
        sender: row.sender,
        recipients: group.map((item) => item.recipient),
        result: ATTEMPT_RESULT[kind],
        response: group[0]!.response,
      });
    };
    report('sent', delivered);
    const notices: Notice[] = [
      ...failed.map((result) => ({ result, action: 'failed' as const })),
      ...delivered.filter((result) => !result.dsnPassedOn).map((result) => ({ result, action: 'relayed' as const })),
    ];
    let expired: RecipientResult[] = [];
    if (deferred.length > 0) {
      const warnDelay =
        row.delayNotifiedAt === null &&
        Date.now() - row.createdAt >= this.config.outboundDelayWarningSeconds * 1000 &&
        deferred.some((result) => wantsNotice(row.dsnRecipients?.[result.recipient.toLowerCase()], 'DELAY'));
      const outcome = await this.queue.defer(
        row,
        deferred.map((result) => result.recipient),
        deferred[0]!.response,
        warnDelay,
      );
      report(outcome === 'expired' ? 'expired' : 'deferred', deferred);
      if (outcome === 'expired') expired = deferred;
      else if (warnDelay) notices.push(...deferred.map((result) => ({ result, action: 'delayed' as const })));
      outboundRecipientsTotal.inc({ result: outcome === 'expired' ? 'expired' : 'deferred' }, deferred.length);
    }
    report('bounced', failed);
    await this.bounces.report(row, notices, original).catch((error: unknown) => log.error({ err: error }, 'delivery report failed'));
    if (expired.length > 0) {
      await this.bounces.bounce(row, expired, original, true).catch((error: unknown) => log.error({ err: error }, 'bounce failed'));
    }
    if (deferred.length === 0 || expired.length > 0) await this.queue.finish(row);
  }
}

type OutboundEventKind = Extract<MessageEventKind, 'sent' | 'deferred' | 'expired' | 'bounced'>;

/** How WebAdmin's activity counts an attempt's result: recipients that expired were last deferred. */
const ATTEMPT_RESULT: Record<OutboundEventKind, OutboundAttempt['result']> = {
  sent: 'relayed',
  deferred: 'deferred',
  expired: 'deferred',
  bounced: 'bounced',
};

/** The RFC 3461 parameters a row carries, to pass on to the next hop; null when it has none. */
function dsnOf(row: OutboundMessageEntity): MessageDsn | null {
  if (!row.dsnRet && !row.dsnEnvid && !row.dsnRecipients) return null;
  return { ret: row.dsnRet, envid: row.dsnEnvid, recipients: row.dsnRecipients ?? {} };
}
