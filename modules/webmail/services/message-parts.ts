import { decodeCharset } from '../../../core/mime/charset.js';
import { decodeWords, headerText } from '../../../core/mime/decoded-text.js';
import { parseHeader } from '../../../core/mime/header.parser.js';
import type { MimePart } from '../../../core/mime/message-analysis.types.js';
import { decodedPart, resolvePart } from '../../../core/mime/message-section.js';

export interface LocatedPart {
  /** IMAP part number, "1.2"; "1" for the body of a single-part message. */
  path: string;
  part: MimePart;
}

export interface MessageParts {
  text: LocatedPart | null;
  html: LocatedPart | null;
  attachments: LocatedPart[];
}

const isBodyText = (part: MimePart) =>
  part.type === 'text' &&
  (part.subtype === 'plain' || part.subtype === 'html') &&
  part.disposition?.type !== 'attachment' &&
  part.filename === undefined;

/**
 * Splits a MIME tree into the displayed bodies (the first plain and the first HTML text that are not
 * attachments) and everything else a reader can download: named parts, non-text leaves, inline images,
 * encapsulated messages (not descended into).
 */
export function messageParts(root: MimePart): MessageParts {
  const result: MessageParts = { text: null, html: null, attachments: [] };
  const visit = (part: MimePart, path: number[]) => {
    if (part.parts) {
      part.parts.forEach((child, index) => visit(child, [...path, index + 1]));
      return;
    }
    const located = { path: (path.length === 0 ? [1] : path).join('.'), part };
    if (isBodyText(part)) {
      if (part.subtype === 'plain' && !result.text) return void (result.text = located);
      if (part.subtype === 'html' && !result.html) return void (result.html = located);
    }
    // An empty text part without a name is not worth offering as a download.
    if (part.type === 'text' && part.filename === undefined && part.disposition?.type !== 'attachment' && part.bodyEnd <= part.bodyStart)
      return;
    result.attachments.push(located);
  };
  visit(root, []);
  return result;
}

/** The part at "1.2", or null for a path that names no leaf of this message. */
export function partAt(root: MimePart, path: string): MimePart | null {
  if (!/^[1-9]\d{0,4}(\.[1-9]\d{0,4}){0,31}$/.test(path)) return null;
  const part = resolvePart(root, path.split('.').map(Number));
  return part && !part.parts ? part : null;
}

export function decodedBytes(raw: Buffer, part: MimePart): Buffer {
  return decodedPart(raw, part) ?? raw.subarray(part.bodyStart, part.bodyEnd);
}

export function decodedText(raw: Buffer, part: MimePart): string {
  return decodeCharset(decodedBytes(raw, part), part.params['charset'] ?? null);
}

/** Decoded size, estimated from the encoded body without decoding it. */
export function estimatedSize(part: MimePart): number {
  const encoded = Math.max(0, part.bodyEnd - part.bodyStart);
  if (part.encoding === 'base64') return Math.max(0, Math.floor(((encoded - 2 * part.bodyLines) * 3) / 4));
  return encoded;
}

/** Header fields of the top-level message, decoded (RFC 2047), in order. */
export function decodedHeaders(raw: Buffer, root: MimePart): { name: string; value: string }[] {
  const header = parseHeader(raw, root.headerStart, root.bodyStart);
  const charset = root.params['charset'] ?? null;
  return header.fields.map((field) => ({
    name: raw
      .subarray(field.start, field.valueStart - 1)
      .toString('latin1')
      .trim(),
    value: decodeWords(headerText(raw, field, charset)),
  }));
}

/** Names for the unnamed parts of reports (RFC 3464 bounces, RFC 8098 receipts) and forwarded messages. */
const REPORT_PART_NAMES: Record<string, string> = {
  'message/rfc822': 'message.eml',
  'message/global': 'message.eml',
  'message/delivery-status': 'delivery-status.txt',
  'message/global-delivery-status': 'delivery-status.txt',
  'message/disposition-notification': 'disposition-notification.txt',
  'message/global-disposition-notification': 'disposition-notification.txt',
  'text/rfc822-headers': 'message-headers.txt',
  'message/global-headers': 'message-headers.txt',
};

/** The name a part is offered under: its own, else one that says what a report's part is; null for other unnamed parts. */
export function partFilename(part: MimePart): string | null {
  return part.filename ?? REPORT_PART_NAMES[`${part.type}/${part.subtype}`.toLowerCase()] ?? null;
}

/** A file name for a whole message: its subject, without characters file systems refuse, then `.eml`. */
export function emlFilename(subject: string): string {
  const base = subject
    .replace(/\s+/g, ' ')
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .trim()
    .slice(0, 100)
    .replace(/^\.+/, '');
  return `${base || 'message'}.eml`;
}
