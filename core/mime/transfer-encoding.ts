import { isIdentityEncoding } from './mime-tree.parser.js';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const EQ = 0x3d;

/**
 * Removes the Content-Transfer-Encoding (RFC 2045 §6) from body bytes. Returns null for an encoding
 * this server does not know (e.g. x-uuencode), which IMAP reports as [UNKNOWN-CTE] (RFC 3516 §4.3).
 */
export function decodeTransferEncoding(body: Buffer, encoding: string): Buffer | null {
  const name = encoding.trim().toLowerCase();
  if (isIdentityEncoding(name)) return body;
  if (name === 'base64') return decodeBase64(body);
  if (name === 'quoted-printable') return decodeQuotedPrintable(body);
  return null;
}

/** Base64 decoding that skips line breaks and other non-alphabet bytes, as RFC 2045 §6.8 requires. */
export function decodeBase64(body: Buffer): Buffer {
  return Buffer.from(body.toString('latin1'), 'base64');
}

/**
 * Quoted-printable decoding (RFC 2045 §6.7): "=XX" is a byte, "=" before a line break is a soft
 * break, trailing whitespace on a line is transport padding and dropped. A malformed "=" is kept.
 */
export function decodeQuotedPrintable(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length);
  let n = 0;
  // Bytes written before this index were escaped (=20) or belong to an earlier line, so keep them.
  let keepUntil = 0;
  const len = body.length;
  for (let i = 0; i < len; i++) {
    const c = body[i]!;
    if (c === EQ) {
      const h = hexValue(body[i + 1]);
      const l = hexValue(body[i + 2]);
      if (h >= 0 && l >= 0) {
        out[n++] = (h << 4) | l;
        keepUntil = n;
        i += 2;
        continue;
      }
      let j = i + 1;
      while (j < len && (body[j] === SP || body[j] === HT)) j++;
      if (j >= len) {
        // A soft break at the end of the input: the whitespace before it is content.
        keepUntil = n;
        i = j;
        continue;
      }
      if (body[j] === LF || (body[j] === CR && body[j + 1] === LF)) {
        i = body[j] === CR ? j + 1 : j;
        keepUntil = n;
        continue;
      }
      out[n++] = c;
      keepUntil = n;
    } else if (c === LF || c === CR) {
      while (n > keepUntil && (out[n - 1] === SP || out[n - 1] === HT)) n--;
      out[n++] = c;
      keepUntil = n;
    } else {
      out[n++] = c;
    }
  }
  while (n > keepUntil && (out[n - 1] === SP || out[n - 1] === HT)) n--;
  return out.subarray(0, n);
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}
