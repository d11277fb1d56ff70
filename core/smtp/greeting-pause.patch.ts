import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { runtimeSettings } from '../config/runtime-settings.js';

interface ConnectionInternals {
  _setListeners(ready: () => void): void;
  connectionReady(): void;
}

/**
 * Sets the pause before the 220 greeting. smtp-server waits a fixed 100 ms to catch clients that talk before
 * the greeting (refused with 421, RFC 5321 §4.3.1 ordering); with one message per connection that pause alone
 * caps a client at 10 messages/s per connection. Replaces `init`, which in 3.21.6 only wires the socket (we use
 * no maxClients) and schedules connectionReady, with one whose pause is read per connection.
 */
export function applyGreetingPause(pauseMs: number): void {
  // The pause may change at run time (runtime-settings.ts), so the library's own is replaced whatever it is now.
  const prototype = SMTPConnection.prototype as unknown as ConnectionInternals & { init(): void };
  prototype.init = function init(this: ConnectionInternals) {
    this._setListeners(() => {
      setTimeout(() => this.connectionReady(), runtimeSettings.value('smtpGreetingPauseMs', pauseMs)).unref();
    });
  };
}
