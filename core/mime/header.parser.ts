import { isUtf8 } from 'node:buffer';

/** One header field with byte offsets into the raw message. */
export interface HeaderField {
  /** Field name, lowercased (header names are case-insensitive, RFC 2822 §1.2.2). */
  name: string;
  /** Offset of the first byte of the field's first line. */
  start: number;
  /** Offset just past the field's final line break (or the header end). */
  end: number;
  /** Offset just past the colon. */
  valueStart: number;
}

/** The header block of one MIME entity. */
export interface ParsedHeader {
  fields: HeaderField[];
  /** Offset where the header starts. */
  start: number;
  /** Offset just past the blank line that ends the header (= body start). */
  bodyStart: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/**
 * Splits the header block that starts at `start` into fields, in one pass over the line breaks.
 *
 * The header ends at the first empty line (CRLF or bare LF); without one the whole range is header
 * and the body is empty. Lines that are neither a field nor a continuation (no colon, a name with
 * spaces or 8-bit bytes, an mbox "From " line) are kept in the header bytes but produce no field,
 * and continuation lines after them are dropped with them.
 */
export function parseHeader(raw: Buffer, start: number, end: number): ParsedHeader {
  const fields: HeaderField[] = [];
  let current: HeaderField | null = null;
  let pos = start;
  while (pos < end) {
    const lf = raw.indexOf(LF, pos);
    const lineEnd = lf === -1 || lf >= end ? end : lf + 1;
    let contentEnd = lf === -1 || lf >= end ? end : lf;
    if (contentEnd > pos && raw[contentEnd - 1] === CR) contentEnd--;
    if (contentEnd === pos) {
      if (lineEnd > pos) return { fields, start, bodyStart: lineEnd };
      break;
    }
    const first = raw[pos];
    if (first === SP || first === HT) {
      // RFC 2822 §2.2.3: a line starting with WSP continues the previous field.
      if (current) current.end = lineEnd;
    } else {
      current = fieldAt(raw, pos, contentEnd, lineEnd);
      if (current) fields.push(current);
    }
    pos = lineEnd;
  }
  return { fields, start, bodyStart: end };
}

function fieldAt(raw: Buffer, start: number, contentEnd: number, lineEnd: number): HeaderField | null {
  // Searched within the line only: a search to the next colon anywhere would make a header of many colon-less
  // lines cost quadratic time.
  const offset = raw.subarray(start, contentEnd).indexOf(COLON);
  if (offset === -1) return null;
  const colon = start + offset;
  // RFC 2822 §4.5 (obs-optional) allows WSP between the name and the colon.
  let nameEnd = colon;
  while (nameEnd > start && (raw[nameEnd - 1] === SP || raw[nameEnd - 1] === HT)) nameEnd--;
  if (nameEnd === start) return null;
  for (let i = start; i < nameEnd; i++) {
    // RFC 2822 §2.2: ftext is printable US-ASCII except colon.
    const c = raw[i]!;
    if (c < 33 || c > 126) return null;
  }
  return { name: raw.toString('latin1', start, nameEnd).toLowerCase(), start, end: lineEnd, valueStart: colon + 1 };
}

/**
 * The field's value unfolded (line breaks removed, RFC 2822 §2.2.3) and trimmed, not decoded.
 * 8-bit bytes are read as UTF-8 when they are valid UTF-8, otherwise one character per byte (latin1).
 */
export function fieldValue(raw: Buffer, field: HeaderField): string {
  return bytesToString(unfoldBytes(raw, field.valueStart, field.end)).trim();
}

/** The raw value bytes of a field with CR and LF removed. */
export function unfoldBytes(raw: Buffer, start: number, end: number): Buffer {
  let firstBreak = -1;
  for (let i = start; i < end; i++) {
    const c = raw[i];
    if (c === CR || c === LF) {
      firstBreak = i;
      break;
    }
  }
  if (firstBreak === -1) return raw.subarray(start, end);
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = raw[i]!;
    if (c !== CR && c !== LF) out[n++] = c;
  }
  return out.subarray(0, n);
}

/** Bytes as text: UTF-8 when valid, otherwise latin1 so that no byte is lost or replaced. */
export function bytesToString(bytes: Buffer): string {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
  }
  return bytes.toString('latin1');
}

/** The first field with this (lowercase) name, or null. */
export function firstField(header: ParsedHeader, name: string): HeaderField | null {
  for (const field of header.fields) if (field.name === name) return field;
  return null;
}

/** Value of the first field with this (lowercase) name, or null when absent. */
export function firstValue(raw: Buffer, header: ParsedHeader, name: string): string | null {
  const field = firstField(header, name);
  return field ? fieldValue(raw, field) : null;
}
