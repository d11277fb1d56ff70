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

function buildPart(ctx: Context, header: ParsedHeader, end: number, defaultType: DefaultType, depth: number): MimePart {
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
  const language = languageValue === null ? [] : languageValue.split(',').map((s) => s.trim()).filter((s) => s !== '');
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
    const boundary = params['boundary'];
    const ranges = boundary && boundary.length <= MAX_BOUNDARY_LENGTH && depth < MAX_MIME_DEPTH && spend(ctx, end - bodyStart)
      ? splitMultipart(ctx, bodyStart, end, boundary) : null;
    if (!ranges) {
      Object.assign(part, defaultText());
      return part;
    }
    const childDefault: DefaultType = subtype === 'digest' ? 'message' : 'text';
    part.parts = ranges.map(([s, e]) => buildPart(ctx, parseHeader(raw, s, e), e, childDefault, depth + 1));
  } else if (type === 'message' && subtype === 'rfc822' && depth < MAX_MIME_DEPTH && isIdentityEncoding(encoding) && ctx.scanBudget > 0) {
    // RFC 2046 §5.2.1: only 7bit, 8bit and binary are allowed, so a base64 or quoted-printable
    // message/rfc822 cannot be parsed in place and stays a leaf without `message`.
    const inner = parseHeader(raw, bodyStart, end);
    part.message = { envelope: parseEnvelope(raw, inner), root: buildPart(ctx, inner, end, 'text', depth + 1) };
  }
  return part;
}

/** Takes `bytes` from the scan budget; false (and nothing taken) when not that much is left. */
function spend(ctx: Context, bytes: number): boolean {
  if (ctx.scanBudget < bytes) return false;
  ctx.scanBudget -= bytes;
  return true;
}

function defaultText(): { type: string; subtype: string; params: Record<string, string> } {
  return { type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } };
}

/** Transfer encodings under which the body bytes are the content itself. */
export function isIdentityEncoding(encoding: string): boolean {
  return encoding === '7bit' || encoding === '8bit' || encoding === 'binary' || encoding === '';
}

/**
 * Finds the body parts of a multipart body in [start, end) (RFC 2046 §5.1.1). A delimiter is
 * "--boundary" at the start of a line, optionally followed by "--" (close delimiter) and linear
 * whitespace up to the line end; the line break before it belongs to the delimiter, not to the part.
 * Returns null when no delimiter is found.
 */
function splitMultipart(ctx: Context, start: number, end: number, boundary: string): Array<[number, number]> | null {
  const { raw } = ctx;
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  const ranges: Array<[number, number]> = [];
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
    // Anything else after the boundary (e.g. "--boundary2") is not this delimiter.
    else continue;

    let partEnd = at;
    if (at > start) {
      partEnd--;
      if (partEnd > start && raw[partEnd - 1] === CR) partEnd--;
    }
    if (partStart !== -1) ranges.push([partStart, Math.max(partStart, partEnd)]);
    if (close) return ranges.length > 0 ? ranges : null;
    if (ctx.parts + ranges.length >= MAX_MIME_PARTS) break;
    partStart = lineEnd;
    pos = lineEnd;
  }
  // No close delimiter: the last part runs to the end of the enclosing entity.
  if (partStart !== -1) ranges.push([partStart, end]);
  return ranges.length > 0 ? ranges : null;
}

/**
 * Text lines in [start, end) for BODYSTRUCTURE body-fld-lines: the number of line breaks, plus one
 * for a last line without a line break (inside a multipart the final line break belongs to the
 * following delimiter, RFC 2046 §5.1.1, yet that line is still a line of the part).
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
  if (body[body.length - 1] !== LF) lines++;
  return lines;
}
