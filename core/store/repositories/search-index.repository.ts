import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isMysql, sqlAll, sqlRun } from '../raw-sql.js';
import { StoreService } from '../store.service.js';
import { ALWAYS_CANDIDATE_TOKENS, PENDING_TOKEN, messageTokens, prefixEnd } from './search-tokens.js';

/** Token rows per INSERT statement (three parameters each). */
const ROWS_PER_INSERT = 300;
/** Message ids per DELETE or SELECT ... IN (...). */
const IDS_PER_STATEMENT = 500;
/**
 * Most candidates a search narrows to. Their ids go into the message query as a list (bound parameters: well
 * under SQLite's 32,766), which both planners answer by primary key or by an index-only check while they walk the
 * mailbox in sort order.
 */
export const CANDIDATE_LIMIT = 20_000;
/** Keys looked up per search; the text test does the rest. */
const MAX_KEYS_QUERIED = 4;

/** A message row to index: its id, account and search text. */
export interface IndexedMessage {
  messageId: number;
  accountId: number;
  searchText: string;
}

/**
 * Writes the tokens of just inserted message rows, on the caller's transaction. Rows sharing one search text (one
 * delivery to several mailboxes) are tokenized once. With `ignoreExisting`, rows already present are skipped (the
 * backfill, which two nodes may run at once).
 */
export async function indexMessages(manager: EntityManager, messages: readonly IndexedMessage[], ignoreExisting = false): Promise<void> {
  const tokensOf = new Map<string, string[]>();
  const rows: (string | number)[] = [];
  let rowCount = 0;
  const insert = isMysql(manager)
    ? `INSERT${ignoreExisting ? ' IGNORE' : ''} INTO \`search_tokens\` (\`accountId\`, \`token\`, \`messageId\`) VALUES `
    : `INSERT${ignoreExisting ? ' OR IGNORE' : ''} INTO \`search_tokens\` (\`accountId\`, \`token\`, \`messageId\`) VALUES `;
  const flush = async () => {
    if (rowCount === 0) return;
    await sqlRun(manager, insert + Array.from({ length: rowCount }, () => '(?, ?, ?)').join(', '), rows);
    rows.length = 0;
    rowCount = 0;
  };
  for (const message of messages) {
    let tokens = tokensOf.get(message.searchText);
    if (!tokens) {
      tokens = messageTokens(message.searchText);
      tokensOf.set(message.searchText, tokens);
    }
    for (const token of tokens) {
      rows.push(message.accountId, token, message.messageId);
      if (++rowCount === ROWS_PER_INSERT) await flush();
    }
  }
  await flush();
}

/** Removes the tokens of deleted message rows. */
export async function removeMessageTokens(manager: EntityManager, messageIds: readonly number[]): Promise<void> {
  for (let i = 0; i < messageIds.length; i += IDS_PER_STATEMENT) {
    const part = messageIds.slice(i, i + IDS_PER_STATEMENT);
    await sqlRun(manager, `DELETE FROM \`search_tokens\` WHERE \`messageId\` IN (${part.map(() => '?').join(', ')})`, part);
  }
}

/** Replaces the tokens of a message whose search text was recomputed. */
export async function reindexMessage(manager: EntityManager, messageId: number, searchText: string): Promise<void> {
  const [row] = await sqlAll<{ accountId: number | string }>(manager, 'SELECT `accountId` FROM `messages` WHERE `id` = ?', [messageId]);
  await removeMessageTokens(manager, [messageId]);
  if (row) await indexMessages(manager, [{ messageId, accountId: Number(row.accountId), searchText }]);
}

/** Search index reads that are not part of a larger query, and the backfill of messages stored before it. */
@Injectable()
export class SearchIndexRepository {
  constructor(private readonly store: StoreService) {}

  /**
   * Ids of the account's messages that may contain a value with each of `keys` (the token prefixes of the searched
   * values, see valueKeys): those with a token starting with every key, and those not (fully) indexed. Null when
   * the index does not narrow the search to at most CANDIDATE_LIMIT messages; the caller then tests every message.
   * Ids come first, in a query of their own, so that the message query that follows reads only their rows (a
   * subquery left the planners of both databases scanning the mailbox or all of the account's tokens).
   */
  async candidateIds(accountId: number, keys: readonly string[]): Promise<number[] | null> {
    const reader = this.store.reader;
    const always = await sqlAll<{ messageId: number | string }>(
      reader,
      `SELECT \`messageId\` FROM \`search_tokens\` WHERE \`accountId\` = ? AND \`token\` IN (${ALWAYS_CANDIDATE_TOKENS.map(() => '?').join(', ')}) LIMIT ?`,
      [accountId, ...ALWAYS_CANDIDATE_TOKENS, CANDIDATE_LIMIT + 1],
    );
    if (always.length > CANDIDATE_LIMIT) return null;
    let found = null as Set<number> | null;
    // The longest keys first: they are the likeliest to be rare.
    const ordered = [...new Set(keys)].sort((a, b) => b.length - a.length).slice(0, MAX_KEYS_QUERIED);
    for (const key of ordered) {
      const rows = await sqlAll<{ messageId: number | string }>(
        reader,
        'SELECT DISTINCT `messageId` FROM `search_tokens` WHERE `accountId` = ? AND `token` >= ? AND `token` < ? LIMIT ?',
        [accountId, key, prefixEnd(key), CANDIDATE_LIMIT + 1],
      );
      // A key in too many messages does not narrow enough to pay for the list.
      if (rows.length > CANDIDATE_LIMIT) continue;
      const ids = new Set(rows.map((row) => Number(row.messageId)));
      found = found === null ? ids : intersect(found, ids);
      if (found.size === 0) break;
    }
    if (found === null) return null;
    for (const row of always) found.add(Number(row.messageId));
    return [...found].sort((a, b) => a - b);
  }

  /** UIDs of the mailbox's messages among `ids` (message row ids). */
  async uidsOf(mailboxId: number, ids: readonly number[]): Promise<Set<number>> {
    const uids = new Set<number>();
    for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
      const part = ids.slice(i, i + IDS_PER_STATEMENT);
      const rows = await sqlAll<{ uid: number | string }>(
        this.store.reader,
        `SELECT \`uid\` FROM \`messages\` WHERE \`mailboxId\` = ? AND \`id\` IN (${part.map(() => '?').join(', ')})`,
        [mailboxId, ...part],
      );
      for (const row of rows) uids.add(Number(row.uid));
    }
    return uids;
  }

  /**
   * Indexes up to `limit` messages still marked pending, in one transaction; returns how many (0: none left).
   * Resumable: what is left is what still carries the mark. The marks are found by primary key, account by
   * account, so a store with nothing left to index answers at once.
   */
  async backfill(limit: number): Promise<number> {
    const pending = await sqlAll<{ messageId: number | string }>(
      this.store.reader,
      'SELECT st.`messageId` FROM `accounts` a JOIN `search_tokens` st ON st.`accountId` = a.`id` AND st.`token` = ? LIMIT ?',
      [PENDING_TOKEN, limit],
    );
    const ids = pending.map((row) => Number(row.messageId));
    if (ids.length === 0) return 0;
    const marks = ids.map(() => '?').join(', ');
    await this.store.transaction(async (manager) => {
      const messages = await sqlAll<{ id: number | string; accountId: number | string; searchText: string }>(
        manager,
        `SELECT \`id\`, \`accountId\`, \`searchText\` FROM \`messages\` WHERE \`id\` IN (${marks})`,
        ids,
      );
      // Marks of messages expunged meanwhile go too.
      await sqlRun(manager, `DELETE FROM \`search_tokens\` WHERE \`token\` = ? AND \`messageId\` IN (${marks})`, [PENDING_TOKEN, ...ids]);
      await indexMessages(
        manager,
        messages.map((row) => ({ messageId: Number(row.id), accountId: Number(row.accountId), searchText: row.searchText })),
        true,
      );
    });
    return ids.length;
  }
}

function intersect(a: ReadonlySet<number>, b: ReadonlySet<number>): Set<number> {
  const result = new Set<number>();
  for (const value of a) if (b.has(value)) result.add(value);
  return result;
}
