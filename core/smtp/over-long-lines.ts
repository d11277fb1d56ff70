/**
 * The line an over-long command line is replaced with before smtp-server's parser sees it. A client that sends
 * this very line gets the same answer, `500 5.5.2 Line too long`, which is a fair answer to it too.
 */
export const OVER_LONG_MARKER = '\u0000LINE-TOO-LONG';
const MARKER_LINE = Buffer.from(`${OVER_LONG_MARKER}\r\n`, 'latin1');
const LF = 0x0a;
const CR = 0x0d;

/**
 * Command-mode input with every line longer than `maxLength` octets (without its CRLF) replaced by one marker line
 * (RFC 5321 §4.5.3.1.4: the server answers 500 and the session goes on). A line is cut as soon as it grows past
 * the limit, without waiting for its end, and the rest of it is dropped as it arrives, so that the tail of a long
 * line can never be read as a command of its own.
 */
export class OverLongLineFilter {
  private discarding = false;

  constructor(private readonly maxLength: number) {}

  /**
   * `pending` is how many octets of the current line the parser already holds. `dropPending` says the parser must
   * forget them: they belong to a line that has just become too long.
   */
  filter(chunk: Buffer, pending: number): { output: Buffer; dropPending: boolean } {
    const parts: Buffer[] = [];
    let dropPending = false;
    let lineLength = pending;
    let pos = 0;
    while (pos < chunk.length) {
      const newline = chunk.indexOf(LF, pos);
      const end = newline < 0 ? chunk.length : newline + 1;
      if (this.discarding) {
        if (newline >= 0) this.discarding = false;
        pos = end;
        lineLength = 0;
        continue;
      }
      // A complete line is measured without its CRLF (as the parser does); a partial one by every octet it has.
      const content = newline < 0 ? end - pos : newline - pos - (newline > pos && chunk[newline - 1] === CR ? 1 : 0);
      if (lineLength + content > this.maxLength) {
        if (pos === 0 && pending > 0) dropPending = true;
        parts.push(MARKER_LINE);
        if (newline < 0) this.discarding = true;
      } else {
        parts.push(chunk.subarray(pos, end));
      }
      lineLength = newline < 0 ? lineLength + content : 0;
      pos = end;
    }
    return { output: parts.length === 1 ? parts[0] : Buffer.concat(parts), dropPending };
  }
}
