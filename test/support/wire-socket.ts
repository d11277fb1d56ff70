import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/**
 * The socket under the tests' raw protocol clients (IMAP, POP3 and SMTP transcripts): connects to a local port in
 * plaintext or with implicit TLS, keeps what arrives until a reader takes it, and upgrades in place after STARTTLS.
 */
export class WireSocket {
  /** Bytes received and not taken yet. */
  unread = Buffer.alloc(0);
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(private socket: Socket | TLSSocket) {
    this.listen(socket);
  }

  /** `localAddress` (another loopback address such as 127.0.0.2) makes the connection come from a second client. */
  static async open(port: number, tls = false, localAddress?: string): Promise<WireSocket> {
    const target = { port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) };
    const socket = tls ? tlsConnect({ ...target, rejectUnauthorized: false }) : connect(target);
    await new Promise<void>((resolve, reject) => {
      socket.once(tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new WireSocket(socket);
  }

  get encrypted(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted === true;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Removes and returns the first `length` unread bytes. */
  take(length: number): Buffer {
    const taken = this.unread.subarray(0, length);
    this.unread = this.unread.subarray(length);
    return taken;
  }

  /**
   * Calls `read` now and whenever bytes arrive, until it returns a value (having taken what it read), and returns
   * that value; undefined when the server closes first. Throws after `timeoutMs`.
   */
  async until<T>(read: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      if (this.closed) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; unread: ${JSON.stringify(this.unread.toString('latin1').slice(0, 2000))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The server said yes to STARTTLS (or STLS): the session goes on over TLS on the same connection. */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tlsConnect({ socket: plain as Socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  close(): void {
    this.socket.destroy();
  }

  private listen(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.unread = Buffer.concat([this.unread, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
