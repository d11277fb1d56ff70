import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSearchService } from '../../core/mail/message-search.service.js';
import { SearchIndexBackfill } from '../../core/mail/search-index-backfill.service.js';
import { sqlAll, sqlRun } from '../../core/store/raw-sql.js';
import { StoreService } from '../../core/store/store.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, rawMessage, services } from './fixtures.js';

describe(`search index on ${TEST_DB}`, () => {
  let core: TestCore;
  let search: MessageSearchService;
  let store: StoreService;

  const tokensOf = async (messageId: number) =>
    (
      await sqlAll<{ token: string }>(store.reader, 'SELECT `token` FROM `search_tokens` WHERE `messageId` = ? ORDER BY `token`', [
        messageId,
      ])
    ).map((row) => row.token);

  beforeAll(async () => {
    core = await openTestCore();
    search = core.context.get(MessageSearchService);
    store = core.context.get(StoreService);
  });

  afterAll(async () => {
    await core.close();
  });

  it('indexes a message in the transaction that stores it, copies its tokens with it and removes them with it', async () => {
    const { mailboxes, messages } = services(core);
    const user = await createUser(core, 'idx');
    const inbox = (await mailboxes.find(user.id, 'INBOX'))!;
    const archive = await mailboxes.create(user.id, 'Kept');
    const filed = await messages.append(
      { accountId: user.id, mailboxId: inbox.id },
      rawMessage({ subject: 'Quarterly Report', body: '我们明天在北京开会. See you in Zürich.' }),
    );
    const tokens = await tokensOf(filed.messageId);
    expect(tokens).toEqual(expect.arrayContaining(['quarterly', 'arterly', 'report', '北京', '开会', '会', 'zurich']));
    expect(tokens).not.toContain('#pending');
    expect(await search.candidateUids(user.id, inbox.id, ['北京'])).toEqual(new Set([filed.uid]));
    expect(await search.candidateUids(user.id, inbox.id, ['ARTERLY re'])).toEqual(new Set([filed.uid]));
    expect(await search.candidateUids(user.id, inbox.id, ['北海'])).toEqual(new Set());
    // One letter, or none: the index cannot narrow, the caller tests every message.
    expect(await search.candidateUids(user.id, inbox.id, ['q'])).toBeNull();

    const copied = await messages.copy(user.id, inbox.id, [filed.uid], archive.id);
    expect(await search.candidateUids(user.id, archive.id, ['开会'])).toEqual(new Set([copied.uids[0].destination]));
    await messages.setFlags(user.id, inbox.id, [filed.uid], 'add', ['\\Deleted']);
    await messages.expunge(user.id, inbox.id);
    expect(await tokensOf(filed.messageId)).toEqual([]);
    expect(await search.candidateUids(user.id, inbox.id, ['开会'])).toEqual(new Set());
    expect(await search.candidateUids(user.id, archive.id, ['开会'])).toEqual(new Set([copied.uids[0].destination]));
  });

  it("never offers another account's messages", async () => {
    const { mailboxes, messages } = services(core);
    const owner = await createUser(core, 'owner');
    const other = await createUser(core, 'other');
    const ownerInbox = (await mailboxes.find(owner.id, 'INBOX'))!;
    const otherInbox = (await mailboxes.find(other.id, 'INBOX'))!;
    await messages.append({ accountId: owner.id, mailboxId: ownerInbox.id }, rawMessage({ body: 'the pomegranate plan' }));
    expect(await search.candidateUids(other.id, otherInbox.id, ['pomegranate'])).toEqual(new Set());
    // Asking with another account's id for the owner's mailbox finds nothing either: tokens are keyed by account.
    expect(await search.candidateUids(other.id, ownerInbox.id, ['pomegranate'])).toEqual(new Set());
  });

  it('offers messages not yet indexed to every search, and the backfill indexes them', async () => {
    const { mailboxes, messages } = services(core);
    const user = await createUser(core, 'legacy');
    const inbox = (await mailboxes.find(user.id, 'INBOX'))!;
    const filed = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage({ body: 'an old kumquat letter' }));
    // As the migration leaves a message stored before the index: its tokens replaced by the pending mark.
    await store.transaction(async (manager) => {
      await sqlRun(manager, 'DELETE FROM `search_tokens` WHERE `messageId` = ?', [filed.messageId]);
      await sqlRun(manager, 'INSERT INTO `search_tokens` (`accountId`, `token`, `messageId`) VALUES (?, ?, ?)', [
        user.id,
        '#pending',
        filed.messageId,
      ]);
    });
    expect(await search.candidateUids(user.id, inbox.id, ['anything'])).toEqual(new Set([filed.uid]));
    expect(await core.context.get(SearchIndexBackfill).run()).toBe(1);
    expect(await tokensOf(filed.messageId)).toEqual(expect.arrayContaining(['kumquat', 'letter']));
    expect(await tokensOf(filed.messageId)).not.toContain('#pending');
    expect(await search.candidateUids(user.id, inbox.id, ['anything'])).toEqual(new Set());
    expect(await search.candidateUids(user.id, inbox.id, ['mquat'])).toEqual(new Set([filed.uid]));
  });

  it('marks a message with more distinct tokens than the bound as a candidate of every search', async () => {
    const { mailboxes, messages } = services(core);
    const user = await createUser(core, 'huge');
    const inbox = (await mailboxes.find(user.id, 'INBOX'))!;
    const body = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`).join(' ');
    const filed = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage({ body }));
    expect(await tokensOf(filed.messageId)).toContain('#incomplete');
    expect(await search.candidateUids(user.id, inbox.id, ['nowhere'])).toEqual(new Set([filed.uid]));
  });
});
