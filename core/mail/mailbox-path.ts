import { MailError } from './mail.errors.js';

export const HIERARCHY_DELIMITER = '/';
const MAX_PATH_LENGTH = 500;

/**
 * Canonical form of a mailbox path: "/"-separated UTF-8, the inbox (any case) as "INBOX" (RFC 3501 §5.1).
 * Refuses names no client could address: empty levels, control characters, IMAP wildcards.
 */
export function normalizeMailboxPath(input: string): string {
  const path = input.normalize('NFC').replace(/\/+$/, '');
  const levels = path.split(HIERARCHY_DELIMITER);
  if (path === '' || path.length > MAX_PATH_LENGTH || levels.some((level) => level.trim() === '' || level !== level.trim())) {
    throw new MailError('CANNOT', `"${input}" is not a valid mailbox name`);
  }
  if (/[\u0000-\u001f\u007f*%]/.test(path)) throw new MailError('CANNOT', 'mailbox names may not contain control characters, "*" or "%"');
  if (levels[0].toUpperCase() === 'INBOX') levels[0] = 'INBOX';
  return levels.join(HIERARCHY_DELIMITER);
}

export function parentPaths(path: string): string[] {
  const levels = path.split(HIERARCHY_DELIMITER);
  return levels.slice(1).map((_, i) => levels.slice(0, i + 1).join(HIERARCHY_DELIMITER));
}

export function isInside(path: string, ancestor: string): boolean {
  return path.startsWith(ancestor + HIERARCHY_DELIMITER);
}
