import { MailhiveProcess } from '../support/mailhive-process.js';
import { WireSocket } from '../support/wire-socket.js';

/** A transcript-style IMAP client on a raw socket: send a line, get everything up to its tagged reply. */
export class WireClient {
  private tagCounter = 0;

  private constructor(private readonly wire: WireSocket) {}

  static async open(port: number, options: { tls?: boolean } = {}): Promise<WireClient> {
    const client = new WireClient(await WireSocket.open(port, options.tls));
    await client.readUntil((text) => text.includes('\r\n'));
    return client;
  }

  get closed(): boolean {
    return this.wire.closed;
  }

  /** Waits until `done(text)` holds for the unread text, then returns and consumes it; all unread text once closed. */
  async readUntil(done: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    const text = await this.wire.until(() => {
      const unread = this.wire.unread.toString('latin1');
      if (!done(unread)) return undefined;
      this.wire.take(this.wire.unread.length);
      return unread;
    }, timeoutMs);
    return text ?? this.wire.unread.toString('latin1');
  }

  write(data: string | Buffer): void {
    this.wire.write(data);
  }

  nextTag(): string {
    return `T${++this.tagCounter}`;
  }

  /** Sends `TAG command` and returns the whole response including the tagged line. */
  async command(command: string, tag = this.nextTag()): Promise<string> {
    this.write(`${tag} ${command}\r\n`);
    return this.untilTagged(tag);
  }

  /** Reads the raw text until the tagged line for `tag`. */
  untilTagged(tag: string): Promise<string> {
    return this.readUntil((text) => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n$`).test(text));
  }

  startTls(): Promise<void> {
    return this.wire.startTls();
  }

  close(): void {
    this.wire.close();
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
