const LF = 0x0a;
const CR = 0x0d;

/**
 * A message whose lines all end in a bare LF (a Unix text file given to APPEND), with CRLF line ends instead.
 * RFC 3501 §6.3.11 wants an RFC 5322 message, whose lines end in CRLF (RFC 5322 §2.3), and RFC822.SIZE,
 * BODY[] and BODYSTRUCTURE sizes count that form; Dovecot converts the same way. A message holding any CR is
 * returned as it is: its bare LFs may be data of a binary part, which conversion would corrupt.
 */
export function crlfLineEnds(raw: Buffer): Buffer {
  if (raw.includes(CR)) return raw;
  let count = 0;
  for (let i = raw.indexOf(LF); i !== -1; i = raw.indexOf(LF, i + 1)) count++;
  if (count === 0) return raw;
  const out = Buffer.allocUnsafe(raw.length + count);
  let n = 0;
  let from = 0;
  for (let i = raw.indexOf(LF); i !== -1; i = raw.indexOf(LF, i + 1)) {
    n += raw.copy(out, n, from, i);
    out[n++] = CR;
    out[n++] = LF;
    from = i + 1;
  }
  raw.copy(out, n, from);
  return out;
}

/** What a message measures once every line ends in CRLF (see crlfMeasure). */
export interface CrlfMeasure {
  /** Octets with each bare LF written as CRLF and an unterminated last line ended: what POP3 RETR sends, unstuffed. */
  octets: number;
  /** Lines, the unterminated last one included. */
  lines: number;
}

/**
 * Size and line count of `raw` with CRLF line ends, counted without copying. RFC 1939 §5 has LIST and STAT report
 * exactly the octets RETR sends (before dot-stuffing); computed once at delivery and kept in the message row, these
 * answer LIST and STAT without reading any blob.
 */
export function crlfMeasure(raw: Buffer): CrlfMeasure {
  let lines = 0;
  let bareLf = 0;
  for (let i = raw.indexOf(LF); i !== -1; i = raw.indexOf(LF, i + 1)) {
    lines++;
    if (i === 0 || raw[i - 1] !== CR) bareLf++;
  }
  let octets = raw.length + bareLf;
  const last = raw.length > 0 ? raw[raw.length - 1] : LF;
  if (last !== LF) {
    lines++;
    octets += last === CR ? 1 : 2;
  }
  return { octets, lines };
}
