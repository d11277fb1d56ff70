import { Injectable } from '@nestjs/common';
import { MessageListingReader } from '../store/repositories/message-listing.reader.js';
import type { FlagColumns, ListingColumn, MessageFlagRow } from './message-listing.js';

/**
 * Whole-mailbox listings for IMAP (SELECT, FETCH of flags and sizes, flag searches), read column-wise from a
 * covering index by the store (see MessageListingReader). Handed through unchanged: no extra statement, no copy.
 */
@Injectable()
export class MessageListingService {
  constructor(private readonly reader: MessageListingReader) {}

  /** The UIDs of the mailbox and the index of its first unseen message, as SELECT reports them. */
  openState(mailbox: { id: number; uidValidity: number; highestModseq: number }): Promise<{ uids: number[]; firstUnseenIndex: number }> {
    return this.reader.openState(mailbox);
  }

  flagColumns(mailboxId: number, extra: readonly ListingColumn[], range?: { from: number; to: number }): Promise<FlagColumns> {
    return this.reader.flagColumns(mailboxId, extra, range);
  }

  flagRows(mailboxId: number, range?: { from: number; to: number }): Promise<MessageFlagRow[]> {
    return this.reader.flagRows(mailboxId, range);
  }
}
