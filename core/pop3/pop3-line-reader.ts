/** One unit of client input: a complete line (without its CRLF), or the news that a line was too long. */
export type FramedLine = { kind: 'line'; text: string } | { kind: 'overlong' };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Framing: bytes in, lines out. A line longer than the limit is reported once and its bytes are dropped up to
 * the next LF, so a client cannot make the server buffer without bound.
 */
export class Pop3LineReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private discarding = false;

  constructor(private readonly maxOctets: number) {}

  push(chunk: Buffer): FramedLine[] {
    const lines: FramedLine[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const lf = chunk.indexOf(LF, pos);
      const end = lf === -1 ? chunk.length : lf;
      if (this.discarding) {
        if (lf !== -1) this.discarding = false;
      } else if (this.pendingLength + (end - pos) > this.maxOctets) {
        this.pending = [];
        this.pendingLength = 0;
        lines.push({ kind: 'overlong' });
        this.discarding = lf === -1;
      } else if (lf === -1) {
        this.pending.push(chunk.subarray(pos));
        this.pendingLength += chunk.length - pos;
      } else {
        const piece = chunk.subarray(pos, lf);
        const line = this.pendingLength === 0 ? piece : Buffer.concat([...this.pending, piece]);
        this.pending = [];
        this.pendingLength = 0;
        const text = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
        lines.push({ kind: 'line', text: text.toString('utf8') });
      }
      if (lf === -1) break;
      pos = lf + 1;
    }
    return lines;
  }

  /** Forgets buffered input: after STLS nothing sent in clear may be taken as a command (RFC 2595 §3.2 spirit). */
  reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.discarding = false;
  }
}
