import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

interface ConnectionInternals {
  secure: boolean;
  _server: { options: { hideSTARTTLS?: boolean; allowInsecureAuth?: boolean } };
  _isSupported(command: string): boolean;
  send(code: number, data: unknown, ...rest: unknown[]): unknown;
  handler_EHLO(command: Buffer, callback: () => void): void;
}

let applied = false;

/**
 * EHLO offers AUTH only where AUTH can be used. smtp-server (3.21.6) lists AUTH on a plaintext connection that
 * also offers STARTTLS, then refuses the command with 538 until TLS is up; a client that trusts the list may send
 * its password in the clear first, and a downgrading middlebox learns the server takes logins. RFC 3207 §4.2 has
 * the client issue EHLO again after TLS, and that answer lists AUTH. Implicit TLS (465) and sessions where
 * plaintext AUTH is allowed are unchanged. handler_EHLO builds and sends its reply synchronously, so `send` is
 * wrapped for that one call only.
 */
export function applyAuthAdvertising(): void {
  if (applied) return;
  applied = true;
  const prototype = SMTPConnection.prototype as unknown as ConnectionInternals;
  const ehlo = prototype.handler_EHLO;
  prototype.handler_EHLO = function handlerEhlo(this: ConnectionInternals, command: Buffer, callback: () => void) {
    const options = this._server.options;
    const authNeedsTls = !this.secure && this._isSupported('STARTTLS') && !options.hideSTARTTLS && !options.allowInsecureAuth;
    if (!authNeedsTls) return ehlo.call(this, command, callback);
    const send = prototype.send;
    this.send = (code: number, data: unknown, ...rest: unknown[]) =>
      send.call(
        this,
        code,
        code === 250 && Array.isArray(data) ? data.filter((line) => !(typeof line === 'string' && line.startsWith('AUTH '))) : data,
        ...rest,
      );
    try {
      return ehlo.call(this, command, callback);
    } finally {
      Reflect.deleteProperty(this, 'send');
    }
  };
}
