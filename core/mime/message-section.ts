import { parseHeader } from './header.parser.js';
import type { MimePart } from './message-analysis.types.js';
import { decodeTransferEncoding } from './transfer-encoding.js';

export type SectionSpecifier = '' | 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

/** A BODY[section] of RFC 3501 §6.4.5: `1.2.HEADER.FIELDS (From To)` is `{ parts: [1, 2], specifier: 'HEADER.FIELDS', fields: ['From', 'To'] }`. */
export interface SectionSpec {
  parts: number[];
  specifier: SectionSpecifier;
  /** Field names for HEADER.FIELDS and HEADER.FIELDS.NOT, matched case-insensitively. */
  fields?: string[];
}

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * The bytes of BODY[section] (RFC 3501 §6.4.5), or null when the section does not exist in this
 * message (a part number out of range, HEADER/TEXT on a part that is not message/rfc822, MIME
 * without a part number); IMAP returns NIL for those.
 *
 * Returned slices share memory with `raw`. HEADER.FIELDS output is built anew: the matching field
 * lines with CRLF line ends, then the blank line.
 */
export function sectionBytes(raw: Buffer, root: MimePart, section: SectionSpec): Buffer | null {
  const { parts, specifier } = section;
  if (parts.some((n) => !Number.isInteger(n) || n < 1)) return null;
  const part = resolvePart(root, parts);
  if (!part) return null;
  switch (specifier) {
    case '':
      // BODY[] is the whole message; BODY[n] is the body of part n.
      return parts.length === 0 ? raw.subarray(root.headerStart, root.bodyEnd) : raw.subarray(part.bodyStart, part.bodyEnd);
    case 'MIME':
      // RFC 3501 §6.4.5: MIME must be prefixed by a part number and is that part's MIME header.
      return parts.length === 0 ? null : raw.subarray(part.headerStart, part.bodyStart);
    case 'HEADER':
    case 'TEXT':
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT': {
      const message = parts.length === 0 ? root : part.message?.root;
      if (!message) return null;
      if (specifier === 'TEXT') return raw.subarray(message.bodyStart, message.bodyEnd);
      if (specifier === 'HEADER') return raw.subarray(message.headerStart, message.bodyStart);
      return headerFields(raw, message, section.fields ?? [], specifier === 'HEADER.FIELDS.NOT');
    }
    default:
      return null;
  }
}

/**
 * The part a list of part numbers names (RFC 3501 §6.4.5): numbers index the children of a
 * multipart; a message that is not multipart has its body as part 1; after a message/rfc822 part the
 * numbers continue inside the encapsulated message. An empty list names the root.
 */
export function resolvePart(root: MimePart, parts: number[]): MimePart | null {
  let current = root;
  let atMessage = true;
  for (const n of parts) {
    let container = current;
    if (!atMessage && !current.parts) {
      if (!current.message) return null;
      container = current.message.root;
    }
    if (container.parts) {
      const child = container.parts[n - 1];
      if (!child) return null;
      current = child;
    } else {
      if (n !== 1) return null;
      current = container;
    }
    atMessage = false;
  }
  return current;
}

function headerFields(raw: Buffer, message: MimePart, names: string[], exclude: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const header = parseHeader(raw, message.headerStart, message.bodyStart);
  const chunks: Buffer[] = [];
  for (const field of header.fields) {
    if (wanted.has(field.name) === exclude) continue;
    chunks.push(...toCrlfLines(raw.subarray(field.start, field.end)));
  }
  chunks.push(CRLF);
  return Buffer.concat(chunks);
}

/** The field's lines with each line end (LF, CRLF or none at the end of input) written as CRLF. */
function toCrlfLines(field: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < field.length) {
    const lf = field.indexOf(0x0a, pos);
    let end = lf === -1 ? field.length : lf;
    const next = lf === -1 ? field.length : lf + 1;
    if (end > pos && field[end - 1] === 0x0d) end--;
    out.push(field.subarray(pos, end), CRLF);
    pos = next;
  }
  return out;
}

/**
 * The body of a part with its Content-Transfer-Encoding removed, for IMAP BINARY[section] (RFC 3516).
 * Returns null when the encoding is unknown, which IMAP answers with NO [UNKNOWN-CTE].
 */
export function decodedPart(raw: Buffer, part: MimePart): Buffer | null {
  return decodeTransferEncoding(raw.subarray(part.bodyStart, part.bodyEnd), part.encoding);
}
