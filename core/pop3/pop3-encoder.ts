const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');
const LF_ONLY = Buffer.from('\n');
const DOT_BUFFER = Buffer.from('.');

export interface EncoderOptions {
  /** Double a leading "." of every line (RFC 1939 §3); off when only counting octets. */
  stuffDots: boolean;
  /** TOP: header, blank line and this many body lines; null for the whole message. */
  bodyLines: number | null;
}

/**
 * Turns a stored message into what POP3 sends: every line ending in CRLF (a bare LF becomes CRLF, an unterminated
 * last line gets one), dot-stuffed, optionally cut after the header and n body lines (TOP). Works on chunks, so a
 * large message streams through it; slices of the input are passed on without copying.
 */
export class Pop3Encoder {
  /** True once TOP has sent all it should; further input is ignored. */
  done = false;
  /** Dots added by stuffing: RFC 1939 sizes do not count them. */
  stuffed = 0;
  private atLineStart = true;
  private lineLength = 0;
  private lastWasCR = false;
  private inHeader = true;
  private bodyLinesLeft: number;

  constructor(private readonly options: EncoderOptions) {
    this.bodyLinesLeft = options.bodyLines ?? 0;
  }

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    let segment = 0;
    while (pos < chunk.length && !this.done) {
      if (this.atLineStart && this.options.stuffDots && chunk[pos] === DOT) {
        if (pos > segment) out.push(chunk.subarray(segment, pos));
        out.push(DOT_BUFFER);
        this.stuffed++;
        segment = pos;
      }
      const lf = chunk.indexOf(LF, pos);
      if (lf === -1) {
        this.lineLength += chunk.length - pos;
        this.lastWasCR = chunk[chunk.length - 1] === CR;
        this.atLineStart = false;
        pos = chunk.length;
        break;
      }
      const hasCR = lf > pos ? chunk[lf - 1] === CR : this.lastWasCR;
      if (!hasCR) {
        if (lf > segment) out.push(chunk.subarray(segment, lf));
        out.push(CRLF);
        segment = lf + 1;
      }
      const contentLength = this.lineLength + (lf - pos) - (hasCR ? 1 : 0);
      this.lineLength = 0;
      this.lastWasCR = false;
      this.atLineStart = true;
      pos = lf + 1;
      this.endOfLine(contentLength === 0);
    }
    if (pos > segment) out.push(chunk.subarray(segment, pos));
    return out;
  }

  /** What must follow the last chunk: a line end when the message does not end with one. */
  end(): Buffer[] {
    if (this.done || this.atLineStart) return [];
    this.atLineStart = true;
    return [this.lastWasCR ? LF_ONLY : CRLF];
  }

  private endOfLine(empty: boolean): void {
    const limit = this.options.bodyLines;
    if (limit === null) return;
    if (this.inHeader) {
      // RFC 1939 §7 TOP: the header, the blank line after it, then n lines of the body.
      if (empty) {
        this.inHeader = false;
        if (limit === 0) this.done = true;
      }
      return;
    }
    this.bodyLinesLeft--;
    if (this.bodyLinesLeft <= 0) this.done = true;
  }
}

/** A whole stored message encoded for RETR/TOP: the bytes to send and the octet count RFC 1939 reports. */
export function encodeMessage(raw: Buffer, bodyLines: number | null = null): { data: Buffer; octets: number } {
  const encoder = new Pop3Encoder({ stuffDots: true, bodyLines });
  const parts = [...encoder.push(raw), ...encoder.end()];
  const data = parts.length === 1 && parts[0].length === raw.length ? raw : Buffer.concat(parts);
  return { data, octets: data.length - encoder.stuffed };
}

/** The size LIST and STAT report: the octets RETR sends, without dot-stuffing and the final ".". */
export function pop3Octets(raw: Buffer): number {
  return encodeMessage(raw).octets;
}
