import { randomUUID } from 'node:crypto';
import type { ClientProxy } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { EventBus, Unsubscribe } from './event-bus.js';
import type { InProcessEventBus } from './in-process-event-bus.js';
import type { MailEventMap, MailEventName } from './mail-events.js';

export const BUS_SUBJECT_PREFIX = 'mailhive.events.';

/** What travels on the bus: the event and the node it came from, so a node does not handle its own events twice. */
export interface BusEnvelope<K extends MailEventName = MailEventName> {
  origin: string;
  event: MailEventMap[K];
}

/**
 * The bus for several nodes: events reach this node's handlers at once and every other node through NATS or Redis
 * (@nestjs/microservices). A bus outage is logged; local delivery goes on.
 */
export class NetworkedEventBus implements EventBus {
  readonly nodeId = randomUUID();

  constructor(
    private readonly local: InProcessEventBus,
    private readonly client: ClientProxy,
    private readonly logger: Logger,
  ) {}

  private up = true;
  private downSince = 0;

  async connect(): Promise<void> {
    await this.client.connect();
    // Outages are logged once each; mail goes on meanwhile (nodes share the database), and when the bus is back the
    // listeners that follow events re-read the store for what they missed.
    this.client.status.subscribe((status) => {
      if (status === 'connected') {
        if (this.up) return;
        this.up = true;
        this.logger.warn({ downMs: Date.now() - this.downSince }, 'message bus reachable again: resynchronising');
        this.local.resumed();
      } else if (this.up) {
        this.up = false;
        this.downSince = Date.now();
        this.logger.error({ status }, 'message bus unreachable: mail is served, but changes on other nodes are not heard until it returns');
      }
    });
  }

  connected(): boolean {
    return this.up;
  }

  onResumed(handler: () => void): Unsubscribe {
    return this.local.onResumed(handler);
  }

  emit<K extends MailEventName>(name: K, event: MailEventMap[K]): void {
    this.local.emit(name, event);
    const envelope: BusEnvelope<K> = { origin: this.nodeId, event };
    this.client.emit(BUS_SUBJECT_PREFIX + name, envelope).subscribe({
      error: (error: unknown) => this.logger.error({ err: error, event: name }, 'publishing an event on the bus failed'),
    });
  }

  on<K extends MailEventName>(name: K, handler: (event: MailEventMap[K]) => void): Unsubscribe {
    return this.local.on(name, handler);
  }

  /** An event that arrived from the bus. */
  receive<K extends MailEventName>(name: K, envelope: BusEnvelope<K>): void {
    if (envelope.origin === this.nodeId) return;
    this.local.emit(name, envelope.event);
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.local.close();
  }
}
