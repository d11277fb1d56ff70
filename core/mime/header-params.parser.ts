import libmime from 'libmime';
import { decodeCharset } from './charset.js';

/** A header value of the form `value; name=value; ...` (Content-Type, Content-Disposition). */
export interface ParameterizedValue {
  /** The leading value, lowercased (`text/plain`, `attachment`). */
  value: string;
  /**
   * Parameters as IMAP sends them in BODYSTRUCTURE: names lowercased, values as written, in the order written.
   * RFC 2231 values stay encoded (`name*` = `utf-8'en'%E2%82%AC`); numbered continuations are joined after the
   * other parameters, under `name*` when the first section is encoded and `name` otherwise.
   */
  params: Record<string, string>;
  /** The same parameters fully decoded to Unicode (RFC 2231 and RFC 2047 encoded-words). */
  decoded: Record<string, string>;
}

interface Segment {
  index: number;
  encoded: boolean;
  value: string;
  /** Written as a numbered section (`name*0`), not as one `name*`. */
  split: boolean;
}

/**
 * Most `;`-separated segments read from one value; later parameters are ignored. Real values carry a few, and
 * RFC 2231 continuations of a long file name some dozens; a part header (unbounded inside a message body) could
 * otherwise hold millions.
 */
export const MAX_PARAMETER_SEGMENTS = 1000;

/** Parses `value; name=value; ...`; never throws, unparseable parameters are skipped. */
export function parseParameterizedValue(input: string): ParameterizedValue {
  const segments = splitSegments(input, MAX_PARAMETER_SEGMENTS);
  const value = (segments[0] ?? '').trim().toLowerCase();
  const params: Record<string, string> = {};
  const plain = new Map<string, string>();
  // Keyed by index: RFC 2231 continuations of one name can number in the thousands, each seen once.
  const extended = new Map<string, Map<number, Segment>>();
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const eq = segment.indexOf('=');
    if (eq <= 0) continue;
    const rawName = segment.slice(0, eq).trim().toLowerCase();
    const rawValue = unquote(segment.slice(eq + 1).trim());
    if (!rawName || rawName === '__proto__') continue;
    // RFC 2231 §3/§4: name*N is continuation N, a trailing '*' marks a charset/percent encoded value.
    const star = rawName.indexOf('*');
    if (star === -1 || star === rawName.length - 1) {
      // A plain parameter, or an unsplit RFC 2231 one (`name*`), goes to IMAP as sent.
      if (!(rawName in params)) params[rawName] = rawValue;
      if (star === -1) {
        if (!plain.has(rawName)) plain.set(rawName, rawValue);
        continue;
      }
    }
    const base = rawName.slice(0, star);
    const rest = rawName.slice(star + 1);
    const encoded = rest.endsWith('*') || rest === '';
    const indexText = rest.endsWith('*') ? rest.slice(0, -1) : rest;
    const index = indexText === '' ? 0 : Number(indexText);
    if (!base || base === '__proto__' || !Number.isInteger(index) || index < 0) continue;
    let pieces = extended.get(base);
    if (!pieces) extended.set(base, (pieces = new Map()));
    if (!pieces.has(index)) pieces.set(index, { index, encoded, value: rawValue, split: rest !== '' });
  }

  const decoded: Record<string, string> = {};
  for (const [name, v] of plain) decoded[name] = v.includes('=?') ? safeDecodeWords(v) : v;
  for (const name of [...extended.keys()].sort()) {
    const pieces = [...extended.get(name)!.values()].sort((a, b) => a.index - b.index);
    // RFC 2231 §4: prefer the extended form over a plain parameter of the same name.
    decoded[name] = joinExtended(pieces);
    // Continuations (name*0, name*1*, ...) are joined, still encoded, under `name` or `name*` after the other
    // parameters, as Dovecot passes them: BODYSTRUCTURE carries parameters as sent (RFC 3501 §7.4.2) and clients
    // decode RFC 2231 themselves.
    if (pieces.some((piece) => piece.split)) {
      const key = pieces[0]!.encoded ? `${name}*` : name;
      if (!(key in params)) params[key] = pieces.map((piece) => piece.value).join('');
    }
  }
  return { value, params, decoded };
}

/** The Unicode text of RFC 2231 pieces, sorted by index: charset from the first, percent-decoding where marked. */
function joinExtended(list: Segment[]): string {
  let charset = '';
  const chunks: Buffer[] = [];
  for (const segment of list) {
    let text = segment.value;
    if (segment.encoded && segment.index === list[0]!.index) {
      // charset'language'value; the language tag is dropped.
      const q1 = text.indexOf("'");
      const q2 = q1 === -1 ? -1 : text.indexOf("'", q1 + 1);
      if (q2 !== -1) {
        charset = text.slice(0, q1);
        text = text.slice(q2 + 1);
      }
    }
    chunks.push(segment.encoded ? percentDecode(text) : Buffer.from(text, 'latin1'));
  }
  return decodeCharset(Buffer.concat(chunks), charset || null);
}

function percentDecode(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[n++] = c & 0xff;
    }
  }
  return out.subarray(0, n);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Splits on ';' outside quoted strings (at most `max` segments) and drops RFC 2822 comments outside quoted strings. */
function splitSegments(input: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  let inQuote = false;
  let commentDepth = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (inQuote) {
      current += ch;
      if (ch === '\\' && i + 1 < input.length) current += input[++i];
      else if (ch === '"') inQuote = false;
    } else if (commentDepth > 0) {
      if (ch === '\\') i++;
      else if (ch === '(') commentDepth++;
      else if (ch === ')') commentDepth--;
    } else if (ch === '"') {
      inQuote = true;
      current += ch;
    } else if (ch === '(') {
      commentDepth = 1;
    } else if (ch === ';') {
      out.push(current);
      current = '';
      if (out.length === max) return out;
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) out += text[++i];
    else if (ch === '"') break;
    else out += ch;
  }
  return out;
}

/** Longest parameter value whose RFC 2047 encoded-words are decoded (a file name); the rest is dropped. */
const MAX_DECODED_PARAM = 64 * 1024;

function safeDecodeWords(input: string): string {
  const text = input.length > MAX_DECODED_PARAM ? input.slice(0, MAX_DECODED_PARAM) : input;
  try {
    return libmime.decodeWords(text);
  } catch {
    return text;
  }
}
