import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { MailhiveProcess } from '../support/mailhive-process.js';

/** A transcript-style IMAP client on a raw socket: send a line, get everything up to its tagged reply. */
export class WireClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private tagCounter = 0;
  closed = false;

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  static async open(port: number, options: { tls?: boolean } = {}): Promise<WireClient> {
    const socket = options.tls
      ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new WireClient(socket);
    await client.readUntil((text) => text.includes('\r\n'));
    return client;
  }

  /** Waits until `done(text)` holds for the unread text, then returns and consumes it. */
  async readUntil(done: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.buffer.toString('latin1');
      if (done(text)) {
        this.buffer = Buffer.alloc(0);
        return text;
      }
      if (this.closed) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting; got: ${text.slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  nextTag(): string {
    return `T${++this.tagCounter}`;
  }

  /** Sends `TAG command` and returns the whole response including the tagged line. */
  async command(command: string, tag = this.nextTag()): Promise<string> {
    this.write(`${tag} ${command}\r\n`);
    return this.readUntil((text) => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n$`).test(text));
  }

  /** Reads the raw text until the tagged line for `tag`. */
  untilTagged(tag: string): Promise<string> {
    return this.readUntil((text) => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n$`).test(text));
  }

  async startTls(): Promise<void> {
    this.socket.removeAllListeners('data');
    const secure = tlsConnect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure as unknown as Socket;
    this.listen(secure as unknown as Socket);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A server with users ready for IMAP tests. */
export async function startImapServer(users: string[], extraEnv: Record<string, string> = {}): Promise<MailhiveProcess> {
  const server = await MailhiveProcess.create(extraEnv);
  await server.start();
  const domains = new Set(users.map((user) => user.split('@')[1]));
  for (const domain of domains) await server.cli('domain', 'add', domain);
  for (const user of users) await server.cli('user', 'add', user, '--password', 'secret123');
  return server;
}
