import { badInput } from '../services/mail-api.errors.js';
import type { ComposeInput } from './compose.input.js';

/**
 * Bounds of the GraphQL arguments of the mail API whose size a client controls. The HTTP body limit bounds a
 * request as a whole; these bound each argument, so no list or string costs more work than its purpose needs.
 */
export const ARGUMENT_LIMITS = {
  /** A subject longer than this is no subject a person writes. */
  subjectChars: 1000,
  /** Each of text and html; the composed message is checked against the message size limit after this. */
  bodyChars: 10 * 1024 * 1024,
  /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, angle brackets included. */
  addressChars: 254,
  displayNameChars: 200,
  /** to, cc and bcc together, counted before duplicates are removed. */
  recipientAddresses: 100,
  replyToAddresses: 10,
  attachments: 50,
  /** RFC 5322 §2.1.1: no line longer than 998 characters; a message id is one. */
  messageIdChars: 998,
  references: 100,
  /** Each of addKeywords and removeKeywords. */
  keywordsPerCall: 50,
  /** Our cursors are about 40 characters of base64url. */
  cursorChars: 200,
} as const;

/** Refuses a string longer than `max` characters (UTF-16 units). */
export function checkLength(what: string, value: string | null | undefined, max: number): void {
  if (value !== null && value !== undefined && value.length > max) throw badInput(`${what} may have at most ${max} characters`);
}

/** Refuses a list of more than `max` items. */
export function checkCount(what: string, list: readonly unknown[] | null | undefined, max: number): void {
  if (list && list.length > max) throw badInput(`${what} may have at most ${max} items`);
}

/** Every size in a sendMessage or saveDraft input, checked before any of it is parsed or stored. */
export function checkComposeInput(input: ComposeInput): void {
  const limits = ARGUMENT_LIMITS;
  const recipients = [...(input.to ?? []), ...(input.cc ?? []), ...(input.bcc ?? [])];
  if (recipients.length > limits.recipientAddresses)
    throw badInput(`to, cc and bcc may have at most ${limits.recipientAddresses} addresses together`);
  checkCount('replyTo', input.replyTo, limits.replyToAddresses);
  for (const item of [...recipients, ...(input.replyTo ?? []), ...(input.from ? [input.from] : [])]) {
    checkLength('an address', item.address, limits.addressChars);
    checkLength('a display name', item.name, limits.displayNameChars);
  }
  checkLength('subject', input.subject, limits.subjectChars);
  checkLength('text', input.text, limits.bodyChars);
  checkLength('html', input.html, limits.bodyChars);
  checkCount('attachments', input.attachments, limits.attachments);
  checkCount('references', input.references, limits.references);
  for (const id of [...(input.references ?? []), input.inReplyTo]) checkLength('a message id', id, limits.messageIdChars);
}
