import type { Socket } from 'node:net';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

interface ConnectionInternals {
  _socket?: Socket;
  send(...args: unknown[]): unknown;
}

let applied = false;

/**
 * Replies produced in one turn of the event loop leave in one write. smtp-server writes each reply on its own, and
 * over loopback or a LAN each write costs a system call and a segment, a wake-up of the peer and its read: the 250
 * to a pipelined DATA's last line and the 221 to the QUIT behind it, or the replies to a pipelined envelope, go
 * together instead. The socket is corked at the first reply and uncorked before the loop polls for I/O again; a
 * socket that ends meanwhile flushes what it holds (end uncorks), and a reply never waits for the client. A 220
 * goes at once: the greeting has nothing to join, and STARTTLS's must be on the wire before the TLS socket takes
 * over the connection.
 */
export function applyReplyCoalescing(): void {
  if (applied) return;
  applied = true;
  const prototype = SMTPConnection.prototype as unknown as ConnectionInternals;
  const send = prototype.send;
  prototype.send = function coalescedSend(this: ConnectionInternals, code: unknown, ...args: unknown[]) {
    const socket = this._socket;
    if (code !== 220 && socket && socket.writableCorked === 0 && !socket.destroyed) {
      socket.cork();
      setImmediate(() => socket.uncork());
    }
    return send.call(this, code, ...args);
  };
}
