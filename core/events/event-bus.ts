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
}

export const EVENT_BUS = Symbol('EVENT_BUS');
