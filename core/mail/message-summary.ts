import type { StoredStructure } from '../mime/message-analysis.types.js';

/** A stored message as lists see it: flags, sizes and envelope fields, without structure or search text. */
export interface MessageSummary {
  id: number;
  accountId: number;
  mailboxId: number;
  uid: number;
  modseq: number;
  seen: boolean;
  answered: boolean;
  flagged: boolean;
  deleted: boolean;
  draft: boolean;
  keywords: string[];
  internalDate: number;
  size: number;
  /** Octets and lines with CRLF line ends; null until known for rows stored before they were kept. */
  crlfSize: number | null;
  lineCount: number | null;
  blobId: string;
  sentDate: number;
  subject: string;
  fromAddress: string;
  messageIdHeader: string;
  preview: string;
  hasAttachments: boolean;
}

/** A stored message with its cached analysis (envelope, MIME tree with byte offsets), without its search text. */
export interface MessageDetail extends MessageSummary {
  structure: StoredStructure;
}

/** What a compact list shows of a message: no structure, no keywords, no blob. */
export type CompactMessage = Pick<
  MessageSummary,
  | 'id'
  | 'mailboxId'
  | 'uid'
  | 'subject'
  | 'fromAddress'
  | 'sentDate'
  | 'seen'
  | 'flagged'
  | 'answered'
  | 'draft'
  | 'hasAttachments'
  | 'preview'
  | 'size'
>;

/** One condition of a message search, as a search box parses it; all terms of a search must hold. */
export type MessageFilterTerm =
  | { kind: 'text'; field: 'any' | 'from' | 'to' | 'cc' | 'subject'; value: string; negated: boolean }
  | { kind: 'flag'; flag: 'seen' | 'flagged' | 'answered' | 'draft'; value: boolean; negated: boolean }
  | { kind: 'attachment'; negated: boolean }
  | { kind: 'date'; op: 'before' | 'after'; ms: number; negated: boolean };

export type MessageSortKey = 'date' | 'arrival';

export interface MessagePageRequest {
  accountId: number;
  mailboxId: number;
  terms: readonly MessageFilterTerm[];
  sort: MessageSortKey;
  descending: boolean;
  /** Keyset position: sort value and row id of the last row of the previous page. */
  after: { value: number; id: number } | null;
  limit: number;
}

/** A stored message with its decoded search text (read only when asked for: it can be 256 KiB). */
export interface MessageWithText extends MessageDetail {
  searchText: string;
}
