import { parseHeader, type ParsedHeader } from '../../mime/header.parser.js';

/**
 * The largest header block (all fields and the blank line after them) a message may carry on any SMTP port.
 * RFC 5322 sets no limit; real header blocks stay below a few tens of KiB even after many relays. Every header
 * check (From ownership, the hosted-domain spoof check, plugin headers) reads the whole block in memory, so a
 * larger header cannot hide a field past the part that was checked.
 */
export const MAX_HEADER_BYTES = 256 * 1024;

export type HeaderBlock = { kind: 'whole'; header: ParsedHeader } | { kind: 'too-large' };

/**
 * The header block of a message from its first bytes. `headTruncated` says the message goes on past `head`: a
 * header block that does not end within `head` is then larger than MAX_HEADER_BYTES (the spool keeps one byte
 * more than that).
 */
export function headerBlock(head: Buffer, headTruncated: boolean): HeaderBlock {
  const header = parseHeader(head, 0, head.length);
  // Without a blank line the whole message is header (RFC 5322 §3.5: the body is optional).
  const ended = header.bodyStart < head.length || !headTruncated;
  if (!ended || header.bodyStart > MAX_HEADER_BYTES) return { kind: 'too-large' };
  return { kind: 'whole', header };
}
