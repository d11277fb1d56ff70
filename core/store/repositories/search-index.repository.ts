import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isMysql, sqlAll, sqlRun } from '../raw-sql.js';
import { StoreService } from '../store.service.js';
import { ALWAYS_CANDIDATE_TOKENS, PENDING_TOKEN, messageTokens, prefixEnd } from './search-tokens.js';

/** Token rows per INSERT statement (three parameters each). */
const ROWS_PER_INSERT = 300;
/** Message ids per DELETE or SELECT ... IN (...). */
const IDS_PER_STATEMENT = 500;

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

/** Gives each copy (`to`, a new row of the same account) the tokens of its original (`from`). */
export async function copyMessageTokens(manager: EntityManager, pairs: readonly { from: number; to: number }[]): Promise<void> {
  for (const { from, to } of pairs) {
    await sqlRun(
      manager,
      'INSERT INTO `search_tokens` (`accountId`, `token`, `messageId`) SELECT `accountId`, `token`, ? FROM `search_tokens` WHERE `messageId` = ?',
      [to, from],
    );
  }
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

/**
 * A SQL condition on `column` (a messages.id) and its parameters: the message is of the account and has a token
 * starting with each of `keys`, or is not (fully) indexed. `name` makes the parameter names unique in a query.
 */
export function candidateCondition(
  column: string,
  accountId: number,
  keys: readonly string[],
  name: string,
): { sql: string; params: Record<string, string | number> } {
  const params: Record<string, string | number> = { [`${name}a`]: accountId };
  ALWAYS_CANDIDATE_TOKENS.forEach((token, i) => (params[`${name}s${i}`] = token));
  const always = ALWAYS_CANDIDATE_TOKENS.map((_, i) => `:${name}s${i}`).join(', ');
  const conditions = keys.map((key, i) => {
    params[`${name}k${i}`] = key;
    params[`${name}e${i}`] = prefixEnd(key);
    return (
      `${column} IN (SELECT st.\`messageId\` FROM \`search_tokens\` st WHERE st.\`accountId\` = :${name}a ` +
      `AND ((st.\`token\` >= :${name}k${i} AND st.\`token\` < :${name}e${i}) OR st.\`token\` IN (${always})))`
    );
  });
  return { sql: conditions.join(' AND '), params };
}

/** Search index reads that are not part of a larger query, and the backfill of messages stored before it. */
@Injectable()
export class SearchIndexRepository {
  constructor(private readonly store: StoreService) {}

  /**
   * UIDs of the messages of a mailbox that may contain a value with each key list of `keyLists` (one list per
   * searched value; all must hold). The caller tests the text of each.
   */
  async candidateUids(accountId: number, mailboxId: number, keyLists: readonly (readonly string[])[]): Promise<Set<number>> {
    const params: (string | number)[] = [mailboxId];
    const conditions: string[] = [];
    for (const keys of keyLists) {
      for (const key of keys) {
        conditions.push(
          'm.`id` IN (SELECT st.`messageId` FROM `search_tokens` st WHERE st.`accountId` = ? ' +
            `AND ((st.\`token\` >= ? AND st.\`token\` < ?) OR st.\`token\` IN (${ALWAYS_CANDIDATE_TOKENS.map(() => '?').join(', ')})))`,
        );
        params.push(accountId, key, prefixEnd(key), ...ALWAYS_CANDIDATE_TOKENS);
      }
    }
    const rows = await sqlAll<{ uid: number | string }>(
      this.store.reader,
      `SELECT m.\`uid\` AS \`uid\` FROM \`messages\` m WHERE m.\`mailboxId\` = ? AND ${conditions.join(' AND ')}`,
      params,
    );
    return new Set(rows.map((row) => Number(row.uid)));
  }

  /**
   * Indexes up to `limit` messages still marked pending with an id above `afterId`, in one transaction; returns the
   * last id looked at (null when none is left above `afterId`). Resumable: what is left is what still carries the
   * mark, found by primary-key probes in id order.
   */
  async backfill(afterId: number, limit: number): Promise<number | null> {
    return this.store.transaction(async (manager) => {
      const messages = await sqlAll<{ id: number | string; accountId: number | string; searchText: string }>(
        manager,
        'SELECT m.`id`, m.`accountId`, m.`searchText` FROM `messages` m JOIN `search_tokens` st ' +
          'ON st.`accountId` = m.`accountId` AND st.`token` = ? AND st.`messageId` = m.`id` WHERE m.`id` > ? ORDER BY m.`id` LIMIT ?',
        [PENDING_TOKEN, afterId, limit],
      );
      if (messages.length === 0) return null;
      const ids = messages.map((row) => Number(row.id));
      await sqlRun(manager, `DELETE FROM \`search_tokens\` WHERE \`token\` = ? AND \`messageId\` IN (${ids.map(() => '?').join(', ')})`, [
        PENDING_TOKEN,
        ...ids,
      ]);
      await indexMessages(
        manager,
        messages.map((row) => ({ messageId: Number(row.id), accountId: Number(row.accountId), searchText: row.searchText })),
        true,
      );
      return ids[ids.length - 1];
    });
  }
}
