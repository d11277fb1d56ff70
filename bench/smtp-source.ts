// A lean SMTP load generator for the intake benchmark: one message per connection, each reply checked, no TLS and no
// MIME building. On a 2-core machine nodemailer spends about 1 ms of CPU per message, which the server under test
// would otherwise lose to its own load generator.
import { connect, type Socket } from 'node:net';

/** Sends one message over a new connection and resolves after the server's reply to QUIT. */
export async function sendOne(port: number, sender: string, recipient: string, message: Buffer): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const replies = new ReplyReader(socket);
  try {
    await replies.expect(220);
    socket.write('EHLO bench.client\r\n');
    await replies.expect(250);
    // The envelope needs no round trip per command: PIPELINING is advertised.
    socket.write(`MAIL FROM:<${sender}>\r\nRCPT TO:<${recipient}>\r\nDATA\r\n`);
    await replies.expect(250);
    await replies.expect(250);
    await replies.expect(354);
    socket.write(Buffer.concat([message, Buffer.from('.\r\nQUIT\r\n')]));
    await replies.expect(250);
    await replies.expect(221);
  } finally {
    socket.destroy();
  }
}

/** Splits the server's output into replies (a reply ends with a line whose code is followed by a space). */
class ReplyReader {
  private buffered = '';
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.buffered += text;
      this.wake();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  async expect(code: number): Promise<void> {
    const reply = await this.next();
    if (!reply.startsWith(String(code))) throw new Error(`expected ${code}, got ${JSON.stringify(reply)}`);
  }

  private async next(): Promise<string> {
    for (;;) {
      const end = this.replyEnd();
      if (end >= 0) {
        const reply = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end);
        return reply;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  /** The offset after the first complete reply in the buffer, or -1. */
  private replyEnd(): number {
    let start = 0;
    for (;;) {
      const newline = this.buffered.indexOf('\n', start);
      if (newline < 0) return -1;
      if (this.buffered[start + 3] !== '-') return newline + 1;
      start = newline + 1;
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
