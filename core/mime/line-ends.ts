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
