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
  const own = parsed.fields.filter((field) => field.name === 'authentication-results'
    && authservIdOf(head.subarray(field.valueStart, field.end).toString('latin1')) === authservId.toLowerCase());
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
  return value.split(';')[0]!.replace(/\([^)]*\)/g, ' ').trim().split(/\s+/)[0]!.toLowerCase();
}
