import { Injectable } from '@nestjs/common';
import { MessageChangesRepository } from '../store/repositories/message-changes.repository.js';
import { MessageQueryRepository } from '../store/repositories/message-query.repository.js';
import type { CompactMessage, MessageFilterTerm, MessagePageRequest, MessageDetail } from './message-summary.js';

/**
 * Reads of messages for the GraphQL APIs (webmail lists and search, mobile compact lists and delta sync). Every
 * read is bounded to one account: a caller passes the principal's id, and rows of others never match.
 */
@Injectable()
export class MessageQueryService {
  constructor(
    private readonly queries: MessageQueryRepository,
    private readonly changes: MessageChangesRepository,
  ) {}

  /** One keyset page of a mailbox, filtered and sorted. */
  page(request: MessagePageRequest): Promise<MessageDetail[]> {
    return this.queries.page(request);
  }

  count(accountId: number, mailboxId: number, terms: readonly MessageFilterTerm[]): Promise<number> {
    return this.queries.count(accountId, mailboxId, terms);
  }

  /** The account's messages among `ids`, in the order asked. */
  byIds(accountId: number, ids: readonly number[]): Promise<MessageDetail[]> {
    return this.queries.byIds(accountId, ids);
  }

  unseenUids(accountId: number, mailboxId: number): Promise<number[]> {
    return this.queries.unseenUids(accountId, mailboxId);
  }

  /** Messages that may belong to a conversation, by Message-ID or lower-cased subject; the caller checks references. */
  threadCandidates(accountId: number, messageIds: readonly string[], subjects: readonly string[], limit: number): Promise<MessageDetail[]> {
    return this.queries.threadCandidates(accountId, messageIds, subjects, limit);
  }

  /** A newest-first page of compact rows, below `beforeUid` when given. */
  compactPage(accountId: number, mailboxId: number, beforeUid: number | null, limit: number): Promise<CompactMessage[]> {
    return this.queries.compactPage(accountId, mailboxId, beforeUid, limit);
  }

  compactByIds(accountId: number, ids: readonly number[]): Promise<CompactMessage[]> {
    return this.queries.compactByIds(accountId, ids);
  }

  /** Messages of the mailbox changed after `modseq` (all of them for 0), with their UID. */
  changedSince(accountId: number, mailboxId: number, modseq: number): Promise<{ id: number; uid: number }[]> {
    return this.changes.changedSince(accountId, mailboxId, modseq);
  }

  /** Row ids of messages expunged from the mailbox after `modseq`. */
  removedSince(accountId: number, mailboxId: number, modseq: number): Promise<number[]> {
    return this.changes.removedSince(accountId, mailboxId, modseq);
  }
}
