import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { activity } from '../../../core/events/activity-events.js';
import type { Unsubscribe } from '../../../core/events/event-bus.js';
import { LOGGER } from '../../../core/logging/logger.js';
import { PERIOD_MS, StatsRepository, type DeliveryLogRow } from '../repositories/stats.repository.js';

/** Counters and log rows are written in one transaction this often, not one per event. */
const FLUSH_MS = 5_000;
/** Pruning runs at most this often. */
const PRUNE_MS = 10 * 60_000;
/** How long the delivery log keeps a row. */
export const DELIVERY_LOG_HORIZON_MS = 30 * PERIOD_MS.day;
/** Events buffered at most between flushes; past it the oldest log rows are dropped (counters are always kept). */
const MAX_BUFFERED_LOG_ROWS = 50_000;

export type StatsMetric = 'received' | 'sent' | 'refused' | 'bounced' | 'deferred' | 'login' | 'login_failed';

/**
 * Turns this node's activity events into WebAdmin's dashboard counters and delivery log. Each node records its own
 * events only (activity events never cross nodes), so with several nodes the counts add up without doubles.
 */
@Injectable()
export class ActivityRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private counts = new Map<string, number>();
  private top = new Map<string, number>();
  private log: DeliveryLogRow[] = [];
  private readonly unsubscribe: Unsubscribe[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastPrune = 0;

  constructor(
    private readonly stats: StatsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe.push(
      activity.on('mail.accepted', (event) => {
        const at = Date.now();
        if (event.via !== 'bounce') this.count('received', at);
        if (event.refused.length > 0) this.count('bounced', at, event.refused.length);
        if (event.sender && event.via !== 'bounce') this.rank('sender', event.sender, at);
        for (const recipient of [...event.delivered, ...event.queued]) this.rank('receiver', recipient, at);
        const row = { at, sender: event.sender, messageId: event.messageId, subject: event.subject };
        for (const recipient of event.delivered) this.record({ ...row, event: 'delivered', recipient, detail: `via ${event.via}` });
        for (const recipient of event.queued) this.record({ ...row, event: 'queued', recipient, detail: `via ${event.via}` });
        for (const recipient of event.refused)
          this.record({ ...row, event: 'refused', recipient, detail: 'refused after acceptance (policy or quota)' });
      }),
      activity.on('mail.refused', (event) => {
        const at = Date.now();
        this.count('refused', at, Math.max(1, event.recipients.length));
        for (const recipient of event.recipients.length > 0 ? event.recipients : ['']) {
          this.record({ at, event: 'refused', sender: event.sender, recipient, messageId: '', subject: '', detail: event.reply });
        }
      }),
      activity.on('outbound.attempt', (event) => {
        const at = Date.now();
        const metric = event.result === 'relayed' ? 'sent' : event.result === 'bounced' ? 'bounced' : 'deferred';
        this.count(metric, at, event.recipients.length);
        for (const recipient of event.recipients) {
          this.record({
            at,
            event: event.result,
            sender: event.sender,
            recipient,
            messageId: '',
            subject: '',
            detail: `queue #${event.queueId}: ${event.response}`,
          });
        }
      }),
      activity.on('login', (event) => this.count(event.ok ? 'login' : 'login_failed', Date.now())),
    );
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what is buffered; the dashboard and the trace call it first, so they show this node's latest events. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const counts = this.counts;
    const top = this.top;
    const log = this.log;
    this.counts = new Map();
    this.top = new Map();
    this.log = [];
    try {
      if (counts.size > 0 || top.size > 0 || log.length > 0) await this.stats.add(counts, top, log);
      const now = Date.now();
      if (now - this.lastPrune >= PRUNE_MS) {
        this.lastPrune = now;
        await this.stats.prune(now, DELIVERY_LOG_HORIZON_MS);
      }
    } catch (error) {
      // Statistics are best effort: a database hiccup loses a few seconds of counts, never a message.
      this.logger.error({ err: error }, 'writing WebAdmin statistics failed');
    }
  }

  private count(metric: StatsMetric, at: number, by = 1): void {
    const key = `${metric}|${Math.floor(at / PERIOD_MS.minute) * PERIOD_MS.minute}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }

  private rank(kind: 'sender' | 'receiver', address: string, at: number): void {
    const key = `${Math.floor(at / PERIOD_MS.day) * PERIOD_MS.day}|${kind}|${address.toLowerCase()}`;
    this.top.set(key, (this.top.get(key) ?? 0) + 1);
  }

  private record(row: DeliveryLogRow): void {
    if (this.log.length >= MAX_BUFFERED_LOG_ROWS) this.log.shift();
    // Addresses are kept in lower case, so that the trace finds them however a client wrote them.
    this.log.push({ ...row, sender: row.sender.toLowerCase(), recipient: row.recipient.toLowerCase() });
  }
}
