import type { SpecialUse } from '../store/entities/mailbox.entity.js';

export type { SpecialUse };

/** A mailbox as services hand it out, with the counters the store keeps (never recounted on a read). */
export interface Mailbox {
  id: number;
  accountId: number;
  /** Full UTF-8 name with "/" as hierarchy delimiter; the inbox is always "INBOX". */
  path: string;
  specialUse: SpecialUse | null;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  /** The highest UID a session has announced as \Recent (RFC 3501 §2.3.2). */
  recentUid: number;
  messageCount: number;
  unseenCount: number;
  totalSize: number;
  createdAt: number;
}
