import type { Readable } from 'node:stream';
import type { Pop3Maildrop, MaildropMessage } from './pop3-maildrop.js';
import type { Pop3ResponseCode } from './pop3-reply.js';

export type Pop3AuthOutcome =
  /** credentialId: the app password the login used, or null (the account password). */
  { ok: true; accountId: number; address: string; credentialId: number | null } | { ok: false; reason: 'invalid' | 'locked' | 'disabled' };

export type Pop3OpenOutcome =
  | { ok: true; maildrop: Pop3Maildrop }
  | { ok: false; code: Extract<Pop3ResponseCode, 'IN-USE' | 'LOGIN-DELAY' | 'SYS/TEMP'>; text: string };

/** Raw message content: whole when small, a stream when large. Null when the message is gone. */
export type Pop3Content = { kind: 'buffer'; raw: Buffer } | { kind: 'stream'; open: () => Readable } | null;

/** What the UPDATE state changes (RFC 1939 §6). */
export interface Pop3Commit {
  /** UIDs to expunge (DELE marks, and retrieved messages under EXPIRE 0). */
  expunge: number[];
  /** UIDs to flag \Seen (retrieved messages, when configured). */
  seen: number[];
}

/**
 * Everything the POP3 commands need from the mail store, typed, so commands never touch services or the
 * database directly and the protocol layer can run against another store.
 */
export interface Pop3Backend {
  authenticate(username: string, password: string, remoteAddress: string): Promise<Pop3AuthOutcome>;
  /** Locks the account's INBOX for this session and fixes its message list. */
  openMaildrop(accountId: number, owner: string): Promise<Pop3OpenOutcome>;
  /** How long the maildrop lease lasts unless renewed. */
  lockTtlMs(): number;
  /** Keeps the maildrop lease alive; false when it was lost. */
  renewLock(maildrop: Pop3Maildrop): Promise<boolean>;
  /** Applies `commit` (QUIT in TRANSACTION) or nothing (dropped connection), then releases the lease. */
  closeMaildrop(maildrop: Pop3Maildrop, commit: Pop3Commit | null): Promise<{ expunged: number }>;
  /** Fills in `octets` of the given messages. */
  measure(messages: readonly MaildropMessage[]): Promise<void>;
  /** The contents of the messages, in order: small ones read together, large ones as streams, gone ones null. */
  contents(messages: readonly MaildropMessage[]): Promise<Pop3Content[]>;
}
