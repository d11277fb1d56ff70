const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');

/**
 * Finds bare CR and bare LF in DATA and rewrites each as CRLF, across chunk boundaries. RFC 5321 §2.3.8 allows
 * CR and LF only as the pair; a bare one stored as is could end the message or start a second one at a
 * less careful server down the line (SMTP smuggling), so it never leaves Mailhive bare.
 */
export class LineEndingNormalizer {
  /** True once a bare CR or LF was seen. */
  bare = false;
  private pendingCr = false;

  push(chunk: Buffer): Buffer {
    if (!this.pendingCr && this.isClean(chunk)) return chunk;
    const out = Buffer.allocUnsafe(chunk.length * 2 + 2);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.pendingCr) {
        this.pendingCr = false;
        n += CRLF.copy(out, n);
        if (byte === LF) continue;
        this.bare = true;
      }
      if (byte === CR) {
        this.pendingCr = true;
      } else if (byte === LF) {
        this.bare = true;
        n += CRLF.copy(out, n);
      } else {
        out[n++] = byte;
      }
    }
    return out.subarray(0, n);
  }

  /** What is left at the end of the data: a CR that no LF followed. */
  end(): Buffer {
    if (!this.pendingCr) return Buffer.alloc(0);
    this.pendingCr = false;
    this.bare = true;
    return Buffer.from(CRLF);
  }

  /** Every CR is followed by LF and every LF preceded by CR, and the chunk does not end in CR. */
  private isClean(chunk: Buffer): boolean {
    let at = chunk.indexOf(CR);
    let lf = chunk.indexOf(LF);
    while (lf !== -1) {
      if (lf === 0 || chunk[lf - 1] !== CR) return false;
      lf = chunk.indexOf(LF, lf + 1);
    }
    while (at !== -1) {
      if (chunk[at + 1] !== LF) return false;
      at = chunk.indexOf(CR, at + 1);
    }
    return true;
  }
}
