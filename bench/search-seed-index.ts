// Search index rows for messages a benchmark seeded straight into the store (bench/imap-seed.ts,
// bench/graphql-messages.ts, bench/search.ts), as the mail services write them with each message.
import type { EntityManager } from 'typeorm';
import { sqlAll } from '../core/store/raw-sql.js';
import { indexMessages } from '../core/store/repositories/search-index.repository.js';

const BATCH = 1000;

/** Indexes every message of the mailbox; rows already there are kept. */
export async function indexSeededMessages(manager: EntityManager, mailboxId: number): Promise<void> {
  for (let afterId = 0; ;) {
    const rows = await sqlAll<{ id: number | string; accountId: number | string; searchText: string }>(
      manager,
      'SELECT `id`, `accountId`, `searchText` FROM `messages` WHERE `mailboxId` = ? AND `id` > ? ORDER BY `id` LIMIT ?',
      [mailboxId, afterId, BATCH],
    );
    if (rows.length === 0) return;
    await indexMessages(
      manager,
      rows.map((row) => ({ messageId: Number(row.id), accountId: Number(row.accountId), searchText: row.searchText })),
      true,
    );
    afterId = Number(rows[rows.length - 1].id);
  }
}
