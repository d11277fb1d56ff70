import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { EventBus, Unsubscribe } from './event-bus.js';
import type { MailEventMap, MailEventName } from './mail-events.js';

/** Not a mail event name: listeners of every mail event never see it. */
const RESUMED = Symbol('bus resumed');

/** The single-node bus. A handler that throws is logged and does not stop the others. */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly logger: Logger) {
    // Every IMAP IDLE and GraphQL subscription adds a listener.
    this.emitter.setMaxListeners(0);
  }

  emit<K extends MailEventName>(name: K, event: MailEventMap[K]): void {
    for (const listener of this.emitter.listeners(name)) {
      try {
        (listener as (event: MailEventMap[K]) => void)(event);
      } catch (error) {
        this.logger.error({ err: error, event: name }, 'event handler failed');
      }
    }
  }

  on<K extends MailEventName>(name: K, handler: (event: MailEventMap[K]) => void): Unsubscribe {
    this.emitter.on(name, handler);
    return () => this.emitter.off(name, handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }

  /** One process: never cut off. */
  connected(): boolean {
    return true;
  }

  onResumed(handler: () => void): Unsubscribe {
    this.emitter.on(RESUMED, handler);
    return () => this.emitter.off(RESUMED, handler);
  }

  /** Tells the onResumed listeners (the networked bus, when it reconnects). */
  resumed(): void {
    this.emitter.emit(RESUMED);
  }
}
