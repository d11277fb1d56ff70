import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

/** smtp-server's own pause before the greeting, in SMTPConnection.init (3.21.6), which has no option for it. */
const LIBRARY_PAUSE_MS = 100;

interface ConnectionInternals {
  _setListeners(ready: () => void): void;
  connectionReady(): void;
}

/**
 * Sets the pause before the 220 greeting. smtp-server waits a fixed 100 ms to catch clients that talk before
 * the greeting (refused with 421, RFC 5321 §4.3.1 ordering); with one message per connection that pause alone
 * caps a client at 10 messages/s per connection. Left alone at the library value; any other value replaces
 * `init`, which in 3.21.6 only wires the socket (we use no maxClients) and schedules connectionReady.
 */
export function applyGreetingPause(pauseMs: number): void {
  if (pauseMs === LIBRARY_PAUSE_MS) return;
  const prototype = SMTPConnection.prototype as unknown as ConnectionInternals & { init(): void };
  prototype.init = function init(this: ConnectionInternals) {
    this._setListeners(() => {
      setTimeout(() => this.connectionReady(), pauseMs).unref();
    });
  };
}
