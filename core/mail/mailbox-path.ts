import { MailError } from './mail.errors.js';

export const HIERARCHY_DELIMITER = '/';
const MAX_PATH_LENGTH = 500;
/** Levels of a new mailbox's path (Dovecot allows 20 too): each level is a row, and creating one creates its parents. */
export const MAX_PATH_DEPTH = 20;
/** Longest level of a new mailbox's path: a file system's name limit, so that an export to maildir can hold it. */
export const MAX_LEVEL_LENGTH = 255;
/**
 * Characters a new mailbox name may not hold: C1 controls, and the bidirectional formatting characters (embeddings,
 * overrides, isolates, marks) that make a name display as another one ("Inbox\u202Excod.exe"); line separators.
 */
const DECEPTIVE = /[\u0080-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

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

/**
 * The canonical path for a mailbox about to be created or renamed to: stricter than lookups, so a name that is
 * refused now can still be opened, renamed and deleted if it was made before.
 */
export function newMailboxPath(input: string): string {
  const path = normalizeMailboxPath(input);
  if (DECEPTIVE.test(path)) throw new MailError('CANNOT', 'mailbox names may not contain control or bidirectional formatting characters');
  const levels = path.split(HIERARCHY_DELIMITER);
  if (levels.length > MAX_PATH_DEPTH) throw new MailError('CANNOT', `mailbox names may have at most ${MAX_PATH_DEPTH} levels`);
  if (levels.some((level) => level.length > MAX_LEVEL_LENGTH))
    throw new MailError('CANNOT', `each level of a mailbox name may have at most ${MAX_LEVEL_LENGTH} characters`);
  return path;
}

export function parentPaths(path: string): string[] {
  const levels = path.split(HIERARCHY_DELIMITER);
  return levels.slice(1).map((_, i) => levels.slice(0, i + 1).join(HIERARCHY_DELIMITER));
}

export function isInside(path: string, ancestor: string): boolean {
  return path.startsWith(ancestor + HIERARCHY_DELIMITER);
}
