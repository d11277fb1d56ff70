import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The search index: one row per distinct token of a message's search text (see repositories/search-tokens.ts),
 * keyed by account first so that a search reads only its own account's range and never another's messages.
 * Written in the transaction that stores the message, deleted with it.
 */
@Entity('search_tokens')
@Index(['messageId'])
export class SearchTokenEntity {
  @PrimaryColumn({ type: 'integer' })
  accountId: number;

  /** Compared by code point (utf8mb4_bin on MySQL), so a prefix is one index range on both databases. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  token: string;

  /** Row id of the message (messages.id). */
  @PrimaryColumn({ type: 'integer' })
  messageId: number;
}
