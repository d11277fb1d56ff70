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
  'received',
  'dkim-signature',
  'arc-seal',
  'arc-message-signature',
  'arc-authentication-results',
  'authentication-results',
  'x-google-dkim-signature',
  'x-gm-message-state',
  'x-google-smtp-source',
  'x-received',
  'domainkey-signature',
  'received-spf',
  'return-path',
  'content-type',
  'content-transfer-encoding',
  'mime-version',
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
  return decodeCharset(
    bytes,
    fallbackCharset && !/^(us-)?ascii$|^utf-?8$/i.test(fallbackCharset) ? fallbackCharset : 'windows-1252',
  ).trim();
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

  constructor(private readonly limit = SEARCH_TEXT_LIMIT) {}

  get full(): boolean {
    return this.length >= this.limit;
  }

  add(text: string): void {
    if (this.full || text === '') return;
    const room = this.limit - this.length;
    const piece = text.length > room ? text.slice(0, room) : text;
    this.chunks.push(piece);
    this.length += piece.length + 1;
  }

  toString(): string {
    return this.chunks.join('\n').slice(0, this.limit);
  }
}

/** Decoded text of a text/* leaf (transfer encoding and charset removed; HTML reduced to text). */
export function partText(raw: Buffer, part: MimePart, maxBytes = MAX_PART_BYTES): string {
  return (
    decodedText(raw, part, maxBytes) ??
    decodeCharset(raw.subarray(part.bodyStart, Math.min(part.bodyEnd, part.bodyStart + maxBytes)), part.params['charset'] ?? null)
  );
}

/** The same, or null when the transfer encoding is unknown (RFC 3516 §4.3), so the text cannot be read. */
function decodedText(raw: Buffer, part: MimePart, maxBytes = MAX_PART_BYTES): string | null {
  const end = Math.min(part.bodyEnd, part.bodyStart + maxBytes);
  const bytes = decodeTransferEncoding(raw.subarray(part.bodyStart, end), part.encoding);
  if (bytes === null) return null;
  const text = decodeCharset(bytes, part.params['charset'] ?? null);
  return part.subtype === 'html' ? htmlToText(text) : text;
}

/**
 * Search text and preview of a message. The search text is two sections with an empty line between them (see
 * searchTextBody): header text — the decoded header fields as `name: value` lines, then the file names and the
 * envelopes of encapsulated messages, which are header text of the parts — and then the body text, the text of every
 * text/* and message/* part. SEARCH TEXT reads both sections, SEARCH BODY only the second (RFC 3501 §6.4.4), which
 * gives Dovecot's answers: BODY does not find a word of an attached message's header or of a file name.
 */
export function collectText(raw: Buffer, header: ParsedHeader, root: MimePart): { searchText: string; preview: string } {
  const head = new TextSink();
  const charset = root.params['charset'] ?? null;
  for (const field of header.fields) {
    if (head.full) break;
    if (SKIPPED_SEARCH_HEADERS.has(field.name)) continue;
    head.add(oneLine(`${field.name}: ${decodeWords(headerText(raw, field, charset))}`));
  }
  const body = new TextSink();
  walk(raw, root, head, body);
  const preview = foldWhitespace(body.firstBody ?? '').slice(0, PREVIEW_LENGTH);
  return { searchText: `${head.toString()}\n\n${body.toString()}`.slice(0, SEARCH_TEXT_LIMIT), preview };
}

/** Header text on one line: a line break decoded from an encoded-word must not end the header section. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** The body section of a search text made by collectText. */
export function searchTextBody(searchText: string): string {
  const at = searchText.indexOf('\n\n');
  return at < 0 ? '' : searchText.slice(at + 2);
}

/**
 * Adds the text of every text/* and message/* leaf, attachments and every alternative included: RFC 3501 §6.4.4
 * SEARCH BODY looks in the body of the message, whatever part holds the words, and Dovecot finds them there too.
 * A part in an unknown transfer encoding cannot be read and is left out, as Dovecot leaves it out.
 */
function walk(raw: Buffer, part: MimePart, head: TextSink, body: TextSink): void {
  if (body.full) return;
  if (part.parts) {
    for (const child of part.parts) walk(raw, child, head, body);
    return;
  }
  if (part.filename) head.add(oneLine(part.filename));
  if (part.message) {
    addEnvelope(part.message.envelope, head);
    walk(raw, part.message.root, head, body);
    return;
  }
  if (part.type !== 'text' && part.type !== 'message') return;
  const text = decodedText(raw, part);
  if (text === null) return;
  const readable = part.type === 'text' && (part.subtype === 'plain' || part.subtype === 'html') && part.disposition?.type !== 'attachment';
  if (readable && body.firstBody === null && text.trim() !== '') body.firstBody = text.slice(0, PREVIEW_LENGTH * 8);
  body.add(text);
}

function addEnvelope(envelope: Envelope, sink: TextSink): void {
  if (envelope.subject) sink.add(oneLine(decodeWords(envelope.subject)));
  for (const list of [envelope.from, envelope.to, envelope.cc]) {
    for (const address of list ?? []) {
      const text = formatAddress(address);
      if (text) sink.add(oneLine(text));
    }
  }
}

/** Collapses runs of whitespace to one space and trims. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
