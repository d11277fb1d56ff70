import { isUtf8 } from 'node:buffer';
import libmime from 'libmime';
import { decodeCharset } from './charset.js';
import { unfoldBytes, type HeaderField, type ParsedHeader } from './header.parser.js';
import { htmlToText } from './html-to-text.js';
import type { Envelope, EnvelopeAddress, MimePart } from './message-analysis.types.js';
import { decodeTransferEncoding } from './transfer-encoding.js';

/** Upper bound of MessageAnalysis.searchText, in UTF-16 code units. */
export const SEARCH_TEXT_LIMIT = 256 * 1024;
/** Length of MessageAnalysis.preview. */
export const PREVIEW_LENGTH = 200;
/** Raw body bytes decoded per text part; more cannot contribute to a bounded search text. */
const MAX_PART_BYTES = 2 * SEARCH_TEXT_LIMIT * 3;

/** Trace and signature fields: long, machine-made and useless as search text. */
const SKIPPED_SEARCH_HEADERS = new Set([
  'received', 'dkim-signature', 'arc-seal', 'arc-message-signature', 'arc-authentication-results',
  'authentication-results', 'x-google-dkim-signature', 'x-gm-message-state', 'x-google-smtp-source',
  'x-received', 'domainkey-signature', 'received-spf', 'return-path', 'content-type',
  'content-transfer-encoding', 'mime-version',
]);

/**
 * A header field as Unicode text with encoded-words still in place: 8-bit bytes are read as UTF-8 when
 * valid, otherwise in `fallbackCharset` (the message's declared charset; raw GBK or Big5 headers are
 * common), otherwise windows-1252.
 */
export function headerText(raw: Buffer, field: HeaderField, fallbackCharset: string | null): string {
  const bytes = unfoldBytes(raw, field.valueStart, field.end);
  let eightBit = false;
  for (const byte of bytes) {
    if (byte >= 0x80) {
      eightBit = true;
      break;
    }
  }
  if (!eightBit) return bytes.toString('latin1').trim();
  if (isUtf8(bytes)) return bytes.toString('utf8').trim();
  return decodeCharset(bytes, fallbackCharset && !/^(us-)?ascii$|^utf-?8$/i.test(fallbackCharset) ? fallbackCharset : 'windows-1252').trim();
}

/**
 * Longest header text whose RFC 2047 encoded-words are decoded, in UTF-16 code units; the rest is dropped. Decoding
 * takes a few regular-expression passes, linear but slow enough on megabytes of encoded-words (a field may be that
 * long) to hold up delivery; no reader needs more of a header field than search text can keep.
 */
export const MAX_DECODED_HEADER = SEARCH_TEXT_LIMIT;

/** Decodes RFC 2047 encoded-words (of the first MAX_DECODED_HEADER code units); never throws. */
export function decodeWords(input: string): string {
  const text = input.length > MAX_DECODED_HEADER ? input.slice(0, MAX_DECODED_HEADER) : input;
  if (!text.includes('=?')) return text;
  try {
    return libmime.decodeWords(text);
  } catch {
    return text;
  }
}

/** `Name <mailbox@host>` or `mailbox@host` with the name decoded; null for a group marker. */
export function formatAddress(address: EnvelopeAddress): string | null {
  if (address.host === null || address.mailbox === null) return null;
  const email = `${address.mailbox}@${address.host}`;
  const name = address.name === null ? '' : decodeWords(address.name).trim();
  return name ? `${name} <${email}>` : email;
}

/** Collects bounded text, stopping further work once the limit is reached. */
class TextSink {
  private readonly chunks: string[] = [];
  private length = 0;
  firstBody: string | null = null;

  get full(): boolean {
    return this.length >= SEARCH_TEXT_LIMIT;
  }

  add(text: string): void {
    if (this.full || text === '') return;
    const room = SEARCH_TEXT_LIMIT - this.length;
    const piece = text.length > room ? text.slice(0, room) : text;
    this.chunks.push(piece);
    this.length += piece.length + 1;
  }

  toString(): string {
    return this.chunks.join('\n').slice(0, SEARCH_TEXT_LIMIT);
  }
}

/** Decoded text of a text/* leaf (transfer encoding and charset removed; HTML reduced to text). */
export function partText(raw: Buffer, part: MimePart, maxBytes = MAX_PART_BYTES): string {
  const end = Math.min(part.bodyEnd, part.bodyStart + maxBytes);
  const bytes = decodeTransferEncoding(raw.subarray(part.bodyStart, end), part.encoding) ?? raw.subarray(part.bodyStart, end);
  const text = decodeCharset(bytes, part.params['charset'] ?? null);
  return part.subtype === 'html' ? htmlToText(text) : text;
}

/** Search text and preview of a message: decoded header fields, then the readable text parts in order. */
export function collectText(raw: Buffer, header: ParsedHeader, root: MimePart): { searchText: string; preview: string } {
  const sink = new TextSink();
  const charset = root.params['charset'] ?? null;
  for (const field of header.fields) {
    if (sink.full) break;
    if (SKIPPED_SEARCH_HEADERS.has(field.name)) continue;
    sink.add(`${field.name}: ${decodeWords(headerText(raw, field, charset))}`);
  }
  walk(raw, root, sink);
  const preview = foldWhitespace(sink.firstBody ?? '').slice(0, PREVIEW_LENGTH);
  return { searchText: sink.toString(), preview };
}

/**
 * Adds the text of every text/* leaf, attachments and every alternative included: RFC 3501 §6.4.4 SEARCH BODY
 * looks in the body of the message, whatever part holds the words, and Dovecot finds them there too.
 */
function walk(raw: Buffer, part: MimePart, sink: TextSink): void {
  if (sink.full) return;
  if (part.parts) {
    for (const child of part.parts) walk(raw, child, sink);
    return;
  }
  if (part.filename) sink.add(part.filename);
  if (part.message) {
    addEnvelope(part.message.envelope, sink);
    walk(raw, part.message.root, sink);
    return;
  }
  if (part.type !== 'text') return;
  const text = partText(raw, part);
  const readable = (part.subtype === 'plain' || part.subtype === 'html') && part.disposition?.type !== 'attachment';
  if (readable && sink.firstBody === null && text.trim() !== '') sink.firstBody = text.slice(0, PREVIEW_LENGTH * 8);
  sink.add(text);
}

function addEnvelope(envelope: Envelope, sink: TextSink): void {
  if (envelope.subject) sink.add(decodeWords(envelope.subject));
  for (const list of [envelope.from, envelope.to, envelope.cc]) {
    for (const address of list ?? []) {
      const text = formatAddress(address);
      if (text) sink.add(text);
    }
  }
}

/** Collapses runs of whitespace to one space and trims. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
