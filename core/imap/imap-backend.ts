import type { MailEventMap } from '../events/mail-events.js';
import type { FlagColumns, ListingColumn } from '../mail/message-listing.js';
import type { StoredStructure } from '../mime/message-analysis.types.js';

export type { FlagColumns, ListingColumn };

/** An expected refusal of a backend call, mapped to `NO [CODE] text` in one place (imap-responses.ts). */
export interface Refusal {
  refused: true;
  code: 'NONEXISTENT' | 'ALREADYEXISTS' | 'OVERQUOTA' | 'TOOBIG' | 'CANNOT' | 'HASCHILDREN' | 'INUSE' | 'LIMIT' | 'TRYCREATE';
  text: string;
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as Refusal).refused === true;
}

export interface ImapAccount {
  id: number;
  address: string;
  /** The app password the session logged in with, or null (the account password): its revocation ends the session. */
  credentialId: number | null;
}

export type SpecialUseFlag = '\\Drafts' | '\\Sent' | '\\Trash' | '\\Junk' | '\\Archive' | '\\All' | '\\Flagged';

export interface MailboxInfo {
  id: number;
  /** UTF-8 path with "/" delimiter. */
  path: string;
  specialUse: SpecialUseFlag | null;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  /** The \Recent marker: messages above it are recent to the next session that claims them. */
  recentUid: number;
  messageCount: number;
  unseenCount: number;
  totalSize: number;
}

export interface MessageMeta {
  uid: number;
  modseq: number;
  /** System flags first, then keywords. */
  flags: string[];
  internalDate: number;
  sentDate: number;
  size: number;
  blobId: string;
}

export interface MessageDetail extends MessageMeta {
  /** Decoded subject. */
  subject: string;
  structure: StoredStructure;
  searchText: string;
}

export interface FlagChangeResult {
  changed: { uid: number; modseq: number; flags: string[] }[];
  /** UIDs left alone because of UNCHANGEDSINCE (RFC 7162 §3.1.3). */
  modified: number[];
  /** Messages that already had the flags asked for, as the change read them. */
  unchanged: { uid: number; modseq: number; flags: string[] }[];
}

export interface CopyOutcome {
  uidValidity: number;
  pairs: { source: number; destination: number }[];
}

export interface MailboxEvents {
  added(event: MailEventMap['message.added']): void;
  flags(event: MailEventMap['flags.changed']): void;
  expunged(event: MailEventMap['message.expunged']): void;
  mailbox(event: MailEventMap['mailbox.changed']): void;
  revoked(event: MailEventMap['credential.revoked']): void;
  /** Events may have been missed (the bus was down): read the store again. */
  resync(): void;
}

/** What the IMAP protocol layer needs from the mail store. Commands call only this. */
export interface ImapBackend {
  authenticate(
    username: string,
    password: string,
    remoteAddress: string,
  ): Promise<{ ok: true; account: ImapAccount } | { ok: false; reason: 'invalid' | 'locked' | 'disabled' }>;

  listMailboxes(accountId: number): Promise<MailboxInfo[]>;
  findMailbox(accountId: number, path: string): Promise<MailboxInfo | null>;
  createMailbox(accountId: number, path: string): Promise<MailboxInfo | Refusal>;
  deleteMailbox(accountId: number, path: string): Promise<void | Refusal>;
  renameMailbox(accountId: number, from: string, to: string): Promise<void | Refusal>;
  setSubscribed(accountId: number, path: string, subscribed: boolean): Promise<void | Refusal>;
  /** Subscribed names without a mailbox (deleted since, or never made), by path: LIST shows them \NonExistent. */
  danglingSubscriptions(accountId: number): Promise<string[]>;
  /** Messages with \Deleted (STATUS DELETED), counted on demand. */
  countDeleted(mailboxId: number): Promise<number>;

  /**
   * What SELECT needs besides the mailbox row, which it has just read: the UIDs in ascending order and the first
   * unseen one's index (-1: none). The mailbox's HIGHESTMODSEQ is at least that of any of its messages, so it is not
   * recomputed here.
   */
  selectView(mailbox: MailboxInfo): Promise<{ uids: number[]; firstUnseen: number }>;
  /** Flags, sizes and dates of the given UIDs (all when omitted), ascending; UIDs no longer present are left out. */
  listMessages(mailboxId: number, uids?: readonly number[]): Promise<MessageMeta[]>;
  /**
   * A listing by column of the given UIDs (all when omitted), ascending: UID, packed system flags (see FLAG_BITS),
   * keywords, and the `extra` columns. What FETCH of flags and sizes and flag searches read on large mailboxes.
   */
  listColumns(mailboxId: number, extra: readonly ListingColumn[], uids?: readonly number[]): Promise<FlagColumns>;
  /** Metadata plus cached structure, and the search text unless `searchText` is false (then ''). */
  getMessages(mailboxId: number, uids: readonly number[], options?: { searchText?: boolean }): Promise<MessageDetail[]>;
  readRaw(blobId: string): Promise<Buffer>;
  /** Raw messages of several blobs, in order. */
  readRawMany(blobIds: readonly string[]): Promise<Buffer[]>;
  changesSince(mailboxId: number, modseq: number): Promise<{ changed: MessageMeta[]; vanished: number[] }>;
  /** UIDs committed above `uid`, ascending (a session catching up with arrivals from every node). */
  uidsAbove(mailboxId: number, uid: number): Promise<number[]>;
  /** Raises the mailbox's \Recent marker to `upTo` and returns its value before: this caller owns (before, upTo]. */
  claimRecent(mailboxId: number, upTo: number): Promise<number>;
  /** Messages above the \Recent marker (STATUS RECENT). */
  countRecent(mailbox: MailboxInfo): Promise<number>;

  /** Refuses an APPEND of `size` bytes before it is read: APPENDLIMIT, quota. */
  checkAppend(account: ImapAccount, size: number): Promise<Refusal | null>;
  append(
    accountId: number,
    mailboxId: number,
    raw: Buffer,
    flags: readonly string[],
    internalDate: number | null,
  ): Promise<{ uid: number; uidValidity: number } | Refusal>;
  setFlags(
    accountId: number,
    mailboxId: number,
    uids: readonly number[],
    operation: 'add' | 'remove' | 'replace',
    flags: readonly string[],
    unchangedSince?: number,
  ): Promise<FlagChangeResult | Refusal>;
  copy(accountId: number, mailboxId: number, uids: readonly number[], destinationId: number): Promise<CopyOutcome | Refusal>;
  move(accountId: number, mailboxId: number, uids: readonly number[], destinationId: number): Promise<CopyOutcome | Refusal>;
  /** Expunges \Deleted messages (only among `uids` when given); the removed UIDs. */
  expunge(accountId: number, mailboxId: number, uids?: readonly number[]): Promise<number[] | Refusal>;

  quota(account: ImapAccount): Promise<{ usedBytes: number; limitBytes: number }>;
  /** Largest message APPEND accepts (APPENDLIMIT). */
  readonly appendLimit: number;

  /** Change events of one account's mailboxes, from every session and node. */
  subscribe(accountId: number, handlers: MailboxEvents): () => void;
}
