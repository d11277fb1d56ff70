import type { MailEventMap, MailEventName } from './mail-events.js';

export type Unsubscribe = () => void;

/**
 * Carries change events between the parts of one node and, with a networked implementation,
 * between nodes. Events are emitted after the change committed; handlers must not throw.
 */
export interface EventBus {
  emit<K extends MailEventName>(name: K, event: MailEventMap[K]): void;
  on<K extends MailEventName>(name: K, handler: (event: MailEventMap[K]) => void): Unsubscribe;
  close(): Promise<void>;
  /** False while a networked bus is unreachable: this node then neither hears nor tells the others of changes. */
  connected(): boolean;
  /**
   * Called when the bus is back after an outage: what other nodes changed meanwhile was not heard, so listeners
   * that keep state from events (IMAP IDLE) read the store again.
   */
  onResumed(handler: () => void): Unsubscribe;
}

export const EVENT_BUS = Symbol('EVENT_BUS');
