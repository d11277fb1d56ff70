import { Injectable } from '@nestjs/common';
import { SearchIndexRepository } from '../store/repositories/search-index.repository.js';
import { valueKeys } from '../store/repositories/search-tokens.js';

/** Most searched values whose index ranges one search intersects; further values are only tested on the text. */
const MAX_INDEXED_VALUES = 8;

/** Candidates of text searches from the search index (search_tokens). */
@Injectable()
export class MessageSearchService {
  constructor(private readonly index: SearchIndexRepository) {}

  /**
   * UIDs of the mailbox's messages that may contain every one of `values` (case-insensitive substrings, as IMAP
   * SEARCH and the webmail search test them); null when the index cannot narrow them (values of one letter or no
   * letter at all, or values in too many messages), and the caller must test every message. A superset: the caller still tests each candidate.
   */
  async candidateUids(accountId: number, mailboxId: number, values: readonly string[]): Promise<Set<number> | null> {
    const keys = values.slice(0, MAX_INDEXED_VALUES).flatMap(valueKeys);
    if (keys.length === 0) return null;
    const ids = await this.index.candidateIds(accountId, keys);
    return ids === null ? null : this.index.uidsOf(mailboxId, ids);
  }
}
