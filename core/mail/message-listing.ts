import type { FlagState } from './message-flags.js';

/** System flags packed in one number: bit 0 \Seen, 1 \Answered, 2 \Flagged, 3 \Deleted, 4 \Draft. */
export const FLAG_BITS = { seen: 1, answered: 2, flagged: 4, deleted: 8, draft: 16 } as const;

/** The light columns of a message, for listings over whole mailboxes. */
export interface MessageFlagRow extends FlagState {
  uid: number;
  modseq: number;
  size: number;
  internalDate: number;
  sentDate: number;
  blobId: string;
}

/** Optional columns of a flag listing beyond UID, packed flags and keywords. */
export type ListingColumn = 'modseq' | 'size' | 'internalDate' | 'sentDate';

/** A mailbox listing by column: `uids[i]` has flags `flagBits[i]` and so on. */
export interface FlagColumns {
  uids: number[];
  flagBits: number[];
  /** Keywords of the messages that have any, by UID. */
  keywords: Map<number, string[]>;
  modseq?: number[];
  size?: number[];
  internalDate?: number[];
  sentDate?: number[];
}
