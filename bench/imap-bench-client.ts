import { connect, type Socket } from 'node:net';

/** A minimal pipelining-free IMAP client for benchmarks: one command at a time, reply up to its tagged line. */
export class ImapBenchClient {
  private chunks: Buffer[] = [];
  private waiter: (() => void) | null = null;
  private tag = 0;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.waiter?.();
    });
  }

  static async open(port: number): Promise<ImapBenchClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.once('connect', resolve));
    const client = new ImapBenchClient(socket);
    await client.until(/\r\n$/);
    return client;
  }

  /** Waits until the end of the received data matches `done`; only the last bytes are examined. */
  private async until(done: RegExp): Promise<Buffer> {
    for (;;) {
      const last = this.chunks[this.chunks.length - 1];
      if (last) {
        const tail = Buffer.concat(this.chunks.slice(-3)).subarray(-400).toString('latin1');
        if (done.test(tail)) {
          const out = Buffer.concat(this.chunks);
          this.chunks = [];
          return out;
        }
      }
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  async command(text: string | Buffer[]): Promise<Buffer> {
    const tag = `B${++this.tag}`;
    if (typeof text === 'string') this.socket.write(`${tag} ${text}\r\n`);
    else this.socket.write(Buffer.concat([Buffer.from(`${tag} `), ...text, Buffer.from('\r\n')]));
    const reply = await this.until(new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n$`));
    const tail = reply.subarray(-400).toString('latin1');
    if (!new RegExp(`${tag} OK`).test(tail)) throw new Error(tail);
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }
}
