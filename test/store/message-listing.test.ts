import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_STORE, type BlobStore } from '../../core/blob/blob-store.js';
import { MessageContentReader } from '../../core/mail/message-content.reader.js';
import { FLAG_BITS } from '../../core/mail/message-listing.js';
import { MessageListingReader } from '../../core/store/repositories/message-listing.reader.js';
import { StoreService } from '../../core/store/store.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, rawMessage, services } from './fixtures.js';

describe(`mailbox listings for IMAP on ${TEST_DB}`, () => {
  let core: TestCore;
  let listing: MessageListingReader;

  beforeAll(async () => {
    core = await openTestCore();
    listing = new MessageListingReader(core.context.get(StoreService));
  });

  afterAll(async () => {
    await core.close();
  });

  it('lists UIDs, packed flags, keywords and the first unseen message, whole or by UID range', async () => {
    const { mailboxes, messages } = services(core);
    const user = await createUser(core, 'lister');
    const inbox = (await mailboxes.find(user.id, 'INBOX'))!;
    const flags = [['\\Seen'], [], ['\\Seen', '\\Flagged', '$Work'], ['\\Deleted', '\\Draft', '\\Answered'], ['\\Seen', 'Junk', '$Later']];
    const filed = [];
    for (const list of flags)
      filed.push(
        await messages.append({ accountId: user.id, mailboxId: inbox.id, flags: list, internalDate: 1_700_000_000_000 }, rawMessage()),
      );
    const uids = filed.map((item) => item.uid);

    expect(await listing.openState(await mailboxes.get(user.id, 'INBOX'))).toEqual({ uids, firstUnseenIndex: 1 });
    const all = await listing.flagColumns(inbox.id, ['modseq', 'size', 'internalDate']);
    expect(all.uids).toEqual(uids);
    expect(all.flagBits).toEqual([
      FLAG_BITS.seen,
      0,
      FLAG_BITS.seen | FLAG_BITS.flagged,
      FLAG_BITS.deleted | FLAG_BITS.draft | FLAG_BITS.answered,
      FLAG_BITS.seen,
    ]);
    expect([...all.keywords]).toEqual([
      [uids[2], ['$Work']],
      [uids[4], ['Junk', '$Later']],
    ]);
    expect(all.modseq).toEqual(filed.map((item) => item.modseq));
    expect(all.internalDate).toEqual(uids.map(() => 1_700_000_000_000));
    expect(all.size!.every((size) => size > 100)).toBe(true);

    const middle = await listing.flagColumns(inbox.id, [], { from: uids[1], to: uids[3] });
    expect(middle.uids).toEqual(uids.slice(1, 4));
    expect([...middle.keywords.keys()]).toEqual([uids[2]]);

    const rows = await listing.flagRows(inbox.id, { from: uids[2], to: uids[2] });
    expect(rows).toEqual([expect.objectContaining({ uid: uids[2], seen: true, flagged: true, deleted: false, keywords: ['$Work'] })]);
    await messages.setFlags(user.id, inbox.id, [uids[2]], 'remove', ['$Work']);
    await messages.setFlags(user.id, inbox.id, [uids[1]], 'add', ['\\Seen']);
    expect([...(await listing.flagColumns(inbox.id, [])).keywords.keys()]).toEqual([uids[4]]);
    expect((await listing.openState(await mailboxes.get(user.id, 'INBOX'))).firstUnseenIndex).toBe(3);
  });

  it('reuses the open state of a large mailbox only while nothing in it has changed', async () => {
    const { mailboxes, messages } = services(core);
    const user = await createUser(core, 'reopener');
    const inbox = (await mailboxes.find(user.id, 'INBOX'))!;
    const reader = new MessageListingReader(core.context.get(StoreService));
    reader.rememberFrom = 2;
    const append = async (flags: string[]) => (await messages.append({ accountId: user.id, mailboxId: inbox.id, flags }, rawMessage())).uid;
    const uids = [await append(['\\Seen']), await append([]), await append([])];

    const first = await reader.openState(await mailboxes.get(user.id, 'INBOX'));
    expect(first).toEqual({ uids, firstUnseenIndex: 1 });
    first.uids.push(999_999); // the caller's copy is its own
    expect(await reader.openState(await mailboxes.get(user.id, 'INBOX'))).toEqual({ uids, firstUnseenIndex: 1 });
    uids.push(await append([]));
    expect(await reader.openState(await mailboxes.get(user.id, 'INBOX'))).toEqual({ uids, firstUnseenIndex: 1 });
    await messages.setFlags(user.id, inbox.id, [uids[1]!], 'add', ['\\Seen']);
    expect(await reader.openState(await mailboxes.get(user.id, 'INBOX'))).toEqual({ uids, firstUnseenIndex: 2 });
    await messages.expunge(user.id, inbox.id, { uids: [uids[0]!], ignoreDeletedFlag: true });
    expect(await reader.openState(await mailboxes.get(user.id, 'INBOX'))).toEqual({ uids: uids.slice(1), firstUnseenIndex: 1 });
  });

  it('reads many raw messages in order', async () => {
    const { mailboxes, messages } = services(core);
    const user = await createUser(core, 'reader');
    const inbox = (await mailboxes.find(user.id, 'INBOX'))!;
    const raws = [rawMessage(), rawMessage(), rawMessage()];
    for (const raw of raws) await messages.append({ accountId: user.id, mailboxId: inbox.id }, raw);
    const rows = await listing.flagRows(inbox.id);
    const contents = new MessageContentReader(core.context.get<BlobStore>(BLOB_STORE));
    expect(await contents.readMany(rows.map((row) => row.blobId))).toEqual(raws);
  });
});
