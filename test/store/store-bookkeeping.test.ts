import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailError } from '../../core/mail/mail.errors.js';
import { sqlAll } from '../../core/store/raw-sql.js';
import { StoreService } from '../../core/store/store.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, rawMessage, services } from './fixtures.js';

type Row = Record<string, number | string>;

// Blob references, mailbox counters and quota usage are kept by the repository operations that change messages;
// after any mix of them, each must equal a recount of the rows.
describe(`store bookkeeping on ${TEST_DB}`, () => {
  let core: TestCore;

  beforeAll(async () => {
    core = await openTestCore();
  });

  afterAll(async () => {
    await core.close();
  });

  async function recount(accountIds: number[]): Promise<{ stored: Row[]; counted: Row[] }> {
    const reader = core.context.get(StoreService).reader;
    const list = accountIds.join(', ');
    const stored = await sqlAll<Row>(
      reader,
      `SELECT m.\`id\`, m.\`messageCount\`, m.\`unseenCount\`, m.\`totalSize\` FROM \`mailboxes\` m WHERE m.\`accountId\` IN (${list}) ORDER BY m.\`id\``,
    );
    const counted = await sqlAll<Row>(
      reader,
      `SELECT m.\`id\`, COUNT(x.\`id\`) AS \`messageCount\`, COALESCE(SUM(CASE WHEN x.\`seen\` = 0 THEN 1 ELSE 0 END), 0) AS \`unseenCount\`, ` +
        `COALESCE(SUM(x.\`size\`), 0) AS \`totalSize\` FROM \`mailboxes\` m LEFT JOIN \`messages\` x ON x.\`mailboxId\` = m.\`id\` ` +
        `WHERE m.\`accountId\` IN (${list}) GROUP BY m.\`id\` ORDER BY m.\`id\``,
    );
    const numbers = (rows: Row[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])));
    return { stored: numbers(stored), counted: numbers(counted) };
  }

  async function usage(accountId: number): Promise<{ used: number; counted: number }> {
    const reader = core.context.get(StoreService).reader;
    const [row] = await sqlAll<Row>(
      reader,
      'SELECT a.`usedBytes` AS `used`, (SELECT COALESCE(SUM(`size`), 0) FROM `messages` WHERE `accountId` = a.`id`) AS `counted` FROM `accounts` a WHERE a.`id` = ?',
      [accountId],
    );
    return { used: Number(row!.used), counted: Number(row!.counted) };
  }

  async function blobRefs(blobIds: string[]): Promise<{ stored: number; counted: number }[]> {
    const reader = core.context.get(StoreService).reader;
    const result = [];
    for (const id of blobIds) {
      const [row] = await sqlAll<Row>(
        reader,
        'SELECT b.`refCount` AS `stored`, (SELECT COUNT(*) FROM `messages` WHERE `blobId` = b.`id`) AS `counted` FROM `blobs` b WHERE b.`id` = ?',
        [id],
      );
      result.push({ stored: Number(row!.stored), counted: Number(row!.counted) });
    }
    return result;
  }

  it('keeps blob references, mailbox counters and quota equal to the rows through delivery, copy, move, flags and expunge', async () => {
    const { mailboxes, messages } = services(core);
    const roomy = await createUser(core, 'books-roomy');
    const tight = await createUser(core, 'books-tight', 3000);
    const [roomyInbox, roomyArchive, tightInbox] = await Promise.all([
      mailboxes.get(roomy.id, 'INBOX'),
      mailboxes.get(roomy.id, 'Archive'),
      mailboxes.get(tight.id, 'INBOX'),
    ]);
    const blobIds = new Set<string>();
    // Deliveries to both, concurrently (batched where the database batches); the tight account fills up.
    const filed = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const prepared = await messages.prepare(rawMessage({ body: `${'x'.repeat(600)} ${i % 4}` }));
        blobIds.add(prepared.blob.id);
        return messages.file(prepared, [
          { accountId: roomy.id, mailboxId: roomyInbox.id, flags: i % 3 === 0 ? ['\\Seen'] : [] },
          { accountId: tight.id, mailboxId: tightInbox.id },
        ]);
      }),
    );
    expect(filed.flat().filter((copy) => copy.accountId === tight.id).length).toBeLessThan(12);

    const uids = (await messages.list(roomyInbox.id)).map((row) => row.uid);
    await messages.setFlags(roomy.id, roomyInbox.id, uids.slice(0, 5), 'add', ['\\Seen', '\\Flagged']);
    await messages.setFlags(roomy.id, roomyInbox.id, uids.slice(3, 8), 'remove', ['\\Seen']);
    await messages.copy(roomy.id, roomyInbox.id, uids.slice(0, 6), roomyArchive.id);
    await messages.move(roomy.id, roomyInbox.id, uids.slice(6, 9), roomyArchive.id);
    await expect(
      messages.copy(
        tight.id,
        tightInbox.id,
        (await messages.list(tightInbox.id)).map((row) => row.uid),
        tightInbox.id,
      ),
    ).rejects.toBeInstanceOf(MailError);
    await messages.setFlags(roomy.id, roomyArchive.id, [1, 2, 3], 'add', ['\\Deleted']);
    await messages.expunge(roomy.id, roomyArchive.id);
    await messages.expunge(roomy.id, roomyInbox.id, { uids: uids.slice(9, 10), ignoreDeletedFlag: true });

    for (const accountIds of [[roomy.id], [tight.id]]) {
      const { stored, counted } = await recount(accountIds);
      expect(stored).toEqual(counted);
    }
    for (const account of [roomy, tight]) {
      const { used, counted } = await usage(account.id);
      expect(used).toBe(counted);
    }
    for (const { stored, counted } of await blobRefs([...blobIds])) expect(stored).toBe(counted);
  });
});
