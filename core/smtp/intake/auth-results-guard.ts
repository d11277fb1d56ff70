import { parseHeader } from '../../mime/header.parser.js';

const FIELD = 'Authentication-Results';
const RENAMED = Buffer.from('X-Untrusted-Authentication-Results');

/**
 * RFC 8601 §5: a receiving MTA must delete or obscure Authentication-Results fields that claim its own
 * authserv-id but come from outside, or a sender could forge "dkim=pass" in our name. They are renamed, not
 * removed, so the change is visible and nothing else in the message moves.
 *
 * `head` is the start of the message. Returns the rewritten header block and where the original one ended, or
 * null when nothing needs renaming (or the header block does not fit in `head`, when `complete` is false).
 */
export function obscureOwnAuthResults(head: Buffer, complete: boolean, authservId: string): { header: Buffer; end: number } | null {
  const parsed = parseHeader(head, 0, head.length);
  if (!complete && parsed.bodyStart >= head.length) return null;
  const own = parsed.fields.filter(
    (field) =>
      field.name === 'authentication-results' &&
      authservIdOf(head.subarray(field.valueStart, field.end).toString('latin1')) === authservId.toLowerCase(),
  );
  if (own.length === 0) return null;
  const parts: Buffer[] = [];
  let at = 0;
  for (const field of own) {
    parts.push(head.subarray(at, field.start), RENAMED);
    at = field.start + FIELD.length;
  }
  parts.push(head.subarray(at, parsed.bodyStart));
  return { header: Buffer.concat(parts), end: parsed.bodyStart };
}

/** The authserv-id: the value up to the first ";" (RFC 8601 §2.2), without comments and version. */
function authservIdOf(value: string): string {
  const semicolon = value.indexOf(';');
  return withoutComments(semicolon === -1 ? value : value.slice(0, semicolon))
    .trim()
    .split(/\s+/)[0]!
    .toLowerCase();
}

/**
 * Text with RFC 5322 §3.2.2 comments (nested, with quoted-pairs) replaced by a space, in one pass: a pattern such
 * as /\([^)]*\)/g rescans the rest of the value from every "(" that has no ")" after it, which is quadratic.
 */
function withoutComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (depth > 0 && ch === '\\') i++;
    else if (ch === '(') {
      if (depth++ === 0) out += ' ';
    } else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}
