import type { Unsubscribe } from './event-bus.js';

/** A message taken for delivery: where each recipient's copy went. */
export interface MailAccepted {
  via: string;
  sender: string;
  /** Local recipients whose copy was stored. */
  delivered: string[];
  /** Local recipients refused after acceptance (plugin reject, quota). */
  refused: string[];
  /** Remote recipients queued for outbound delivery. */
  queued: string[];
  messageId: string;
  subject: string;
}

/** A recipient or message refused at the SMTP door (unknown user, relay denied, policy, size). */
export interface MailRefused {
  sender: string;
  recipients: string[];
  reply: string;
}

/** The result of one outbound attempt for some recipients of a queued message. */
export interface OutboundAttempt {
  queueId: number;
  sender: string;
  recipients: string[];
  result: 'relayed' | 'deferred' | 'bounced';
  response: string;
}

export interface LoginAttempt {
  protocol: string;
  username: string;
  ok: boolean;
}

/**
 * What happened on this node, for counters and logs that feature modules keep (WebAdmin's dashboard and message
 * trace). Unlike the EventBus these never leave the node, so a listener on each node counts each event once; like
 * the Prometheus counters, they are emitted in one line where the thing happens.
 */
export interface ActivityEventMap {
  'mail.accepted': MailAccepted;
  'mail.refused': MailRefused;
  'outbound.attempt': OutboundAttempt;
  login: LoginAttempt;
}

type Handler<K extends keyof ActivityEventMap> = (event: ActivityEventMap[K]) => void;

class ActivityEvents {
  private readonly handlers = new Map<keyof ActivityEventMap, Set<(event: never) => void>>();

  /** Synchronous and never throwing into the emitter: a failing listener must not fail a delivery or a login. */
  emit<K extends keyof ActivityEventMap>(name: K, event: ActivityEventMap[K]): void {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        (handler as Handler<K>)(event);
      } catch {
        // A listener's own fault; it logs what it needs.
      }
    }
  }

  on<K extends keyof ActivityEventMap>(name: K, handler: Handler<K>): Unsubscribe {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as (event: never) => void);
    return () => set.delete(handler as (event: never) => void);
  }
}

/** The node's activity events (one per process, like the metrics registry). */
export const activity = new ActivityEvents();
