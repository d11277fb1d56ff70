import { parseEnvelope } from './envelope.parser.js';
import { parseParameterizedValue } from './header-params.parser.js';
import { fieldValue, firstField, firstValue, parseHeader, type ParsedHeader } from './header.parser.js';
import type { MimePart } from './message-analysis.types.js';

/** Deeper nesting is treated as a text/plain leaf, which bounds recursion on hostile input. */
export const MAX_MIME_DEPTH = 64;
/** Past this many parts per message, remaining boundaries are no longer split out. */
export const MAX_MIME_PARTS = 10_000;
/**
 * Longest boundary taken; a multipart with a longer one is text/plain. RFC 2046 §5.1.1 allows 70 characters; some
 * generators exceed that a little. The search for a delimiter slows with its length on input made to nearly match
 * it, so the length a sender controls is bounded.
 */
export const MAX_BOUNDARY_LENGTH = 200;
/**
 * Bytes the structure parse may scan (searching delimiters, counting lines), as passes over the whole message.
 * Every nesting level scans its own range again, so a chain of nested multiparts around a large body costs depth ×
 * size; past the budget, a multipart is not split any further and stays a text/plain leaf.
 */
export const MAX_SCAN_PASSES = 8;
/** Scanning every message may do whatever its size, so that small messages nest as deep as MAX_MIME_DEPTH. */
const SCAN_ALLOWANCE = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const DASH = 0x2d;

type DefaultType = 'text' | 'message';

interface Context {
  raw: Buffer;
  parts: number;
  /** Bytes left to scan (MAX_SCAN_PASSES); may go below zero by the line count of the last parts. */
  scanBudget: number;
}

function newContext(raw: Buffer, length: number): Context {
  return { raw, parts: 0, scanBudget: MAX_SCAN_PASSES * length + SCAN_ALLOWANCE };
}

/**
 * Parses the MIME structure of a raw message (RFC 2045/2046) into a tree of parts with absolute byte
 * offsets. Never throws on malformed input: a missing or invalid Content-Type is text/plain, a multipart
 * without a usable boundary is text/plain, a missing close delimiter ends the last part at the end of
 * the enclosing entity.
 */
export function parseMimeTree(raw: Buffer): MimePart {
  return buildPart(newContext(raw, raw.length), parseHeader(raw, 0, raw.length), raw.length, 'text', 0);
}

/** Parses one entity (header and body) in [start, end) of the raw message. */
export function parseEntity(raw: Buffer, start: number, end: number): MimePart {
  return buildPart(newContext(raw, end - start), parseHeader(raw, start, end), end, 'text', 0);
}

/**
 * `looseEnd` is `end` plus the line break that precedes the enclosing multipart's next delimiter. RFC 2046 §5.1.1
 * gives that line break to the delimiter, but when the entity's own last line is a close delimiter or a header line,
 * the line break ends that line, and Dovecot (like any line-by-line parser) counts it in the entity.
 */
function buildPart(ctx: Context, header: ParsedHeader, end: number, defaultType: DefaultType, depth: number, looseEnd = end): MimePart {
  ctx.parts++;
  const { raw } = ctx;
  let type: string;
  let subtype: string;
  let params: Record<string, string>;
  const contentType = firstValue(raw, header, 'content-type');
  const parsed = contentType === null ? null : parseParameterizedValue(contentType);
  // Lenient about a missing ';' ("text/html charset=utf-8"): the media type is the first word.
  const mediaType = parsed ? (parsed.value.split(/[\s"]/, 1)[0] ?? '') : '';
  const slash = mediaType.indexOf('/');
  if (parsed && slash > 0 && slash < mediaType.length - 1) {
    type = mediaType.slice(0, slash);
    subtype = mediaType.slice(slash + 1);
    params = parsed.params;
    // RFC 2045 §5.2 / RFC 2046 §4.1.2: a text part without a charset parameter is US-ASCII; IMAP servers say so.
    if (type.toLowerCase() === 'text' && !('charset' in params)) params = { ...params, charset: 'us-ascii' };
  } else if (defaultType === 'message') {
    // RFC 2046 §5.1.5: in a multipart/digest the default body part type is message/rfc822.
    type = 'message';
    subtype = 'rfc822';
    params = {};
  } else {
    // RFC 2045 §5.2: a missing or syntactically invalid Content-Type means text/plain; charset=us-ascii.
    ({ type, subtype, params } = defaultText());
  }

  const dispositionValue = firstValue(raw, header, 'content-disposition');
  const disposition = dispositionValue === null ? null : parseParameterizedValue(dispositionValue);
  const languageValue = firstValue(raw, header, 'content-language');
  const language =
    languageValue === null
      ? []
      : languageValue
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  const encodingField = firstField(header, 'content-transfer-encoding');
  const encoding = encodingField ? fieldValue(raw, encodingField).toLowerCase() || '7bit' : '7bit';

  const bodyStart = header.bodyStart;
  ctx.scanBudget -= end - bodyStart;
  const part: MimePart = {
    headerStart: header.start,
    bodyStart,
    bodyEnd: end,
    bodyLines: countLines(raw, bodyStart, end),
    type,
    subtype,
    params,
    id: firstValue(raw, header, 'content-id'),
    description: firstValue(raw, header, 'content-description'),
    encoding,
    md5: firstValue(raw, header, 'content-md5'),
    disposition: disposition && disposition.value !== '' ? { type: disposition.value, params: disposition.params } : null,
    language: language.length > 0 ? language : null,
    location: firstValue(raw, header, 'content-location'),
  };
  const filename = disposition?.decoded['filename'] ?? parsed?.decoded['name'];
  if (filename) part.filename = filename;

  if (type === 'multipart') {
    const boundary = params['boundary'] ?? '';
    if (boundary.length > MAX_BOUNDARY_LENGTH || depth >= MAX_MIME_DEPTH || !spend(ctx, end - bodyStart)) {
      Object.assign(part, defaultText());
      return part;
    }
    const split = boundary === '' ? null : splitMultipart(ctx, bodyStart, end, boundary);
    if (!split) {
      // A multipart without a boundary, or whose boundary never occurs, still has one (empty) body part, as
      // RFC 2046 §5.1.1's grammar requires at least one; Dovecot answers the same, and clients that ask for
      // BODY[1] get an empty part rather than the whole message body.
      part.parts = [emptyPart(end)];
      return part;
    }
    if (split.closedAtEnd) {
      part.bodyEnd = looseEnd;
      part.bodyLines = countLines(raw, bodyStart, looseEnd);
    }
    const childDefault: DefaultType = subtype === 'digest' ? 'message' : 'text';
    part.parts = split.ranges.map(([s, e, loose]) => buildPart(ctx, parseHeader(raw, s, e), e, childDefault, depth + 1, loose));
  } else if (type === 'message' && subtype === 'rfc822' && depth < MAX_MIME_DEPTH && ctx.scanBudget > 0) {
    // RFC 2046 §5.2.1 allows only 7bit, 8bit and binary here; a base64 or quoted-printable message/rfc822 is still
    // described as a message (its "header" is the encoded text), so that BODYSTRUCTURE keeps the envelope and
    // body that RFC 3501 §9 body-type-msg requires, as Dovecot does.
    const inner = parseHeader(raw, bodyStart, end);
    const root = buildPart(ctx, inner, end, 'text', depth + 1, looseEnd);
    if (inner.bodyStart >= end && end < looseEnd) {
      // The encapsulated header runs to the end: its last line break is part of it.
      root.bodyStart = looseEnd;
      root.bodyEnd = looseEnd;
    }
    if (root.bodyEnd > part.bodyEnd) {
      part.bodyEnd = root.bodyEnd;
      part.bodyLines = countLines(raw, bodyStart, part.bodyEnd);
    }
    part.message = { envelope: parseEnvelope(raw, inner), root };
  }
  return part;
}

/** Takes `bytes` from the scan budget; false (and nothing taken) when not that much is left. */
function spend(ctx: Context, bytes: number): boolean {
  if (ctx.scanBudget < bytes) return false;
  ctx.scanBudget -= bytes;
  return true;
}

/** The one empty body part of a multipart without delimiters, placed at the end of the multipart's body. */
function emptyPart(at: number): MimePart {
  return plainTextPart(Buffer.alloc(0), at, at);
}

/** A text/plain part without header fields over `raw[start, end)`: what unparseable content is taken for. */
export function plainTextPart(raw: Buffer, start: number, end: number): MimePart {
  return {
    headerStart: start,
    bodyStart: start,
    bodyEnd: end,
    bodyLines: countLines(raw, start, end),
    ...defaultText(),
    id: null,
    description: null,
    encoding: '7bit',
    md5: null,
    disposition: null,
    language: null,
    location: null,
  };
}

function defaultText(): { type: string; subtype: string; params: Record<string, string> } {
  return { type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } };
}

/** Transfer encodings under which the body bytes are the content itself. */
export function isIdentityEncoding(encoding: string): boolean {
  return encoding === '7bit' || encoding === '8bit' || encoding === 'binary' || encoding === '';
}

/** The body parts of a multipart: [start, end, looseEnd] each (see buildPart), and whether the close delimiter is the range's last line. */
interface MultipartSplit {
  ranges: Array<[number, number, number]>;
  closedAtEnd: boolean;
}

/**
 * Finds the body parts of a multipart body in [start, end) (RFC 2046 §5.1.1). A delimiter is
 * "--boundary" at the start of a line, optionally followed by "--" (close delimiter) and linear
 * whitespace up to the line end; the line break before it belongs to the delimiter, not to the part.
 * Returns null when no delimiter is found.
 *
 * In the preamble, a line that merely starts with "--boundary" opens the first part too: RFC 2046 §5.1.1 compares
 * the boundary with the beginning of each line ("an exact match of the entire candidate line is not required"), and
 * nothing else can claim that line there. After the first delimiter, a longer line may be the delimiter of a nested
 * multipart (boundary "b" around "b2"), which a parse of this level alone cannot rule out, so only an exact
 * delimiter line counts.
 */
function splitMultipart(ctx: Context, start: number, end: number, boundary: string): MultipartSplit | null {
  const { raw } = ctx;
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  const ranges: Array<[number, number, number]> = [];
  let partStart = -1;
  let pos = start;
  while (pos < end) {
    const at = raw.indexOf(delimiter, pos);
    if (at === -1 || at + delimiter.length > end) break;
    pos = at + 1;
    if (at !== start && raw[at - 1] !== LF) continue;
    let p = at + delimiter.length;
    let close = false;
    if (p + 1 < end && raw[p] === DASH && raw[p + 1] === DASH) {
      close = true;
      p += 2;
    }
    while (p < end && (raw[p] === SP || raw[p] === HT)) p++;
    let lineEnd: number;
    if (p >= end) lineEnd = end;
    else if (raw[p] === LF) lineEnd = p + 1;
    else if (raw[p] === CR && (p + 1 >= end || raw[p + 1] === LF)) lineEnd = Math.min(p + 2, end);
    else if (partStart === -1) {
      // A preamble line that starts with the delimiter: the first part starts after it (see above).
      const lf = raw.indexOf(LF, p);
      lineEnd = lf === -1 || lf >= end ? end : lf + 1;
      close = false;
    }
    // Anything else after the boundary (e.g. "--boundary2") is not this delimiter.
    else continue;

    let partEnd = at;
    if (at > start) {
      partEnd--;
      if (partEnd > start && raw[partEnd - 1] === CR) partEnd--;
    }
    if (partStart !== -1) ranges.push([partStart, Math.max(partStart, partEnd), Math.max(partStart, at)]);
    if (close) return ranges.length > 0 ? { ranges, closedAtEnd: p >= end } : null;
    if (ctx.parts + ranges.length >= MAX_MIME_PARTS) break;
    partStart = lineEnd;
    pos = lineEnd;
  }
  // No close delimiter: the last part runs to the end of the enclosing entity.
  if (partStart !== -1) ranges.push([partStart, end, end]);
  return ranges.length > 0 ? { ranges, closedAtEnd: false } : null;
}

/**
 * Text lines in [start, end) for BODYSTRUCTURE body-fld-lines: the number of line breaks. Inside a multipart the
 * line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1), so a part "a\r\nb" before one counts
 * one line, as Dovecot and Cyrus count it; a last line without its line break is not a whole text line.
 */
export function countLines(raw: Buffer, start: number, end: number): number {
  if (end <= start) return 0;
  const body = raw.subarray(start, end);
  let lines = 0;
  let p = body.indexOf(LF);
  while (p !== -1) {
    lines++;
    p = body.indexOf(LF, p + 1);
  }
  return lines;
}
