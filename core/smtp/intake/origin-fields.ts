import { randomBytes } from 'node:crypto';
import { parseHeader } from '../../mime/header.parser.js';
import { rfc5322Date } from '../../envelope/rfc5322-date.js';

/**
 * The Date and Message-ID fields a submitted message lacks, as whole CRLF-terminated lines to add (RFC 6409 §8.2,
 * §8.3): many receivers refuse or score as spam a message without them, and replies thread on the Message-ID.
 * Nothing when the header block does not end within `head` (a header larger than what the spool keeps in memory),
 * as the fields cannot then be known to be missing.
 */
export function missingOriginFields(head: Buffer, complete: boolean, hostname: string, now = new Date()): string {
  const header = parseHeader(head, 0, head.length);
  if (!complete && header.bodyStart >= head.length) return '';
  const names = new Set(header.fields.map((field) => field.name));
  let lines = '';
  if (!names.has('date')) lines += `Date: ${rfc5322Date(now)}\r\n`;
  if (!names.has('message-id')) lines += `Message-ID: <${randomBytes(16).toString('hex')}@${hostname}>\r\n`;
  return lines;
}
