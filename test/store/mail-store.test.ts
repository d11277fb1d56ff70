import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { MailError } from '../../core/mail/mail.errors.js';
import { pinSqlFeatures, sqlFeatures } from '../../core/store/raw-sql.js';
import { StoreService } from '../../core/store/store.service.js';
import { MailboxEntity } from '../../core/store/entities/mailbox.entity.js';
import { MessageEntity } from '../../core/store/entities/message.entity.js';
import { AccountEntity } from '../../core/store/entities/account.entity.js';
import { BlobEntity } from '../../core/store/entities/blob.entity.js';
import { DanglingSubscriptionEntity } from '../../core/store/entities/dangling-subscription.entity.js';
import { MAX_DANGLING_SUBSCRIPTIONS } from '../../core/mail/mailbox.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, rawMessage, services } from './fixtures.js';

describe(`mail store on ${TEST_DB}`, () => {
  let core: TestCore;

  beforeAll(async () => {
    core = await openTestCore();
  });

  afterAll(async () => {
    await core.close();
  });

  it('creates the default folders with special-use', async () => {
    const user = await createUser(core, 'folders');
    const list = await services(core).mailboxes.list(user.id);
    expect(list.map((mailbox) => [mailbox.path, mailbox.specialUse])).toEqual([
      ['INBOX', null],
      ['Archive', '\\Archive'],
      ['Drafts', '\\Drafts'],
      ['Junk', '\\Junk'],
      ['Sent', '\\Sent'],
      ['Trash', '\\Trash'],
    ]);
    expect(new Set(list.map((mailbox) => mailbox.uidValidity)).size).toBe(list.length);
  });

  it('gives a name deleted and made again a new, larger UIDVALIDITY within one second, on two nodes', async () => {
    const user = await createUser(core, 'uidvalidity');
    // A second node on the same database; several nodes share a MySQL-compatible database only (SQLite is one node).
    let other = core;
    if (core.config.databaseUrl) {
      const node = await openTestCore({ MAILHIVE_DATABASE_URL: core.config.databaseUrl });
      onTestFinished(() => node.close());
      other = node;
    }
    const nodes = [services(core).mailboxes, services(other).mailboxes];
    const started = Date.now();
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const node = nodes[i % 2];
      seen.push((await node.create(user.id, 'Again')).uidValidity);
      await nodes[(i + 1) % 2].delete(user.id, 'Again');
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    // Concurrent creations on both nodes each get their own value; a rename onto the freed name gets a larger one.
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => nodes[i % 2].create(user.id, `Parallel${i}`)));
    expect(new Set(made.map((mailbox) => mailbox.uidValidity)).size).toBe(6);
    expect(Math.min(...made.map((mailbox) => mailbox.uidValidity))).toBeGreaterThan(seen[seen.length - 1]);
    const renamed = await nodes[1].rename(user.id, 'Parallel0', 'Again');
    expect(renamed.uidValidity).toBeGreaterThan(Math.max(...made.map((mailbox) => mailbox.uidValidity)));
    expect((await nodes[0].get(user.id, 'Again')).uidValidity).toBe(renamed.uidValidity);
  });

  it('keeps a subscription past its mailbox, drops it when the name is made again, and bounds made-up ones', async () => {
    const user = await createUser(core, 'subscriptions');
    const { mailboxes } = services(core);
    await mailboxes.create(user.id, 'Gone/Child');
    await mailboxes.setSubscribed(user.id, 'Gone', false);
    await mailboxes.delete(user.id, 'Gone/Child');
    await mailboxes.delete(user.id, 'Gone');
    expect(await mailboxes.danglingSubscriptions(user.id)).toEqual(['Gone/Child']);
    await mailboxes.setSubscribed(user.id, 'Elsewhere', true);
    await mailboxes.setSubscribed(user.id, 'Elsewhere', true);
    expect(await mailboxes.danglingSubscriptions(user.id)).toEqual(['Elsewhere', 'Gone/Child']);
    await mailboxes.create(user.id, 'Gone/Child');
    await mailboxes.rename(user.id, 'Gone', 'Elsewhere');
    expect(await mailboxes.danglingSubscriptions(user.id)).toEqual([]);
    await expect(mailboxes.setSubscribed(user.id, 'Nowhere', false)).rejects.toMatchObject({ code: 'NONEXISTENT' });
    await expect(mailboxes.setSubscribed(user.id, 'bad%name', true)).rejects.toMatchObject({ code: 'CANNOT' });
    // Up to the limit, written directly; the service refuses one more.
    const rows = Array.from({ length: MAX_DANGLING_SUBSCRIPTIONS - 1 }, (_, i) => ({ accountId: user.id, path: `Made/up${i}` }));
    await core.context.get(StoreService).transaction(async (manager) => {
      for (let i = 0; i < rows.length; i += 200) await manager.insert(DanglingSubscriptionEntity, rows.slice(i, i + 200));
    });
    await mailboxes.setSubscribed(user.id, 'One/more', true);
    await expect(mailboxes.setSubscribed(user.id, 'Too/many', true)).rejects.toMatchObject({ code: 'LIMIT' });
    expect(await mailboxes.danglingSubscriptions(user.id)).toHaveLength(MAX_DANGLING_SUBSCRIPTIONS);
  });

  it('allocates strictly increasing, never reused UIDs under concurrent appends', async () => {
    const user = await createUser(core, 'concurrent');
    const { mailboxes, messages } = services(core);
    const inbox = await mailboxes.get(user.id, 'INBOX');
    const first = await Promise.all(
      Array.from({ length: 40 }, () => messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage())),
    );
    const uids = first.map((filed) => filed.uid).sort((a, b) => a - b);
    expect(uids).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Appends committed in one transaction (concurrent deliveries on MySQL) share a MODSEQ, which never goes down as
    // UIDs go up.
    const modseqs = [...first].sort((a, b) => a.uid - b.uid).map((filed) => filed.modseq);
    expect(modseqs).toEqual([...modseqs].sort((a, b) => a - b));
    expect(new Set(modseqs).size).toBeGreaterThan(1);

    // Expunging the highest UIDs must not let them be handed out again.
    await messages.setFlags(user.id, inbox.id, [39, 40], 'add', ['\\Deleted']);
    expect(await messages.expunge(user.id, inbox.id)).toEqual([39, 40]);
    const second = await Promise.all(
      Array.from({ length: 10 }, () => messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage())),
    );
    expect(second.map((filed) => filed.uid).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 41));

    const stored = await messages.list(inbox.id);
    expect(stored.map((row) => row.uid)).toEqual([
      ...Array.from({ length: 38 }, (_, i) => i + 1),
      ...Array.from({ length: 10 }, (_, i) => i + 41),
    ]);
    const box = await mailboxes.get(user.id, 'INBOX');
    expect(box.uidNext).toBe(51);
    expect(box.messageCount).toBe(48);
  });

  it('files concurrent deliveries to several accounts as if one by one, also when one account runs out of quota', async () => {
    const { mailboxes, messages } = services(core);
    const message = rawMessage();
    const roomy = await createUser(core, 'roomy');
    const tight = await createUser(core, 'tight', message.length * 3 + 10);
    const roomyInbox = await mailboxes.get(roomy.id, 'INBOX');
    const tightInbox = await mailboxes.get(tight.id, 'INBOX');
    const prepared = await messages.prepare(message);
    // Ten deliveries at once, each to both users: the tight one has room for three.
    const filed = await Promise.all(
      Array.from({ length: 10 }, () =>
        messages.file(prepared, [
          { accountId: roomy.id, mailboxId: roomyInbox.id },
          { accountId: tight.id, mailboxId: tightInbox.id },
        ]),
      ),
    );
    expect(filed.every((copies) => copies.some((copy) => copy.accountId === roomy.id))).toBe(true);
    expect(filed.filter((copies) => copies.some((copy) => copy.accountId === tight.id))).toHaveLength(3);
    expect((await messages.list(roomyInbox.id)).map((row) => row.uid)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(await messages.list(tightInbox.id)).toHaveLength(3);
    const box = await mailboxes.get(tight.id, 'INBOX');
    expect([box.messageCount, box.uidNext]).toEqual([3, 4]);
  });

  // MariaDB returns the ids of a multi-row INSERT with it; MySQL has no INSERT ... RETURNING, and its path (ids read
  // back by UID) is taken on MariaDB too by pinning the features.
  it.each([
    { path: 'ids returned by the INSERT where the database can', insertReturning: null },
    { path: "ids read back, MySQL's way", insertReturning: false },
  ])(
    'gives every copy of concurrent deliveries its own row and one blob reference, also when their text needs several INSERTs ($path)',
    async ({ insertReturning }) => {
      const { mailboxes, messages } = services(core);
      const store = core.context.get(StoreService);
      const writer = core.resources.sources.writer;
      const detected = await sqlFeatures(writer.manager);
      if (insertReturning !== null) pinSqlFeatures(writer, { insertReturning });
      onTestFinished(() => pinSqlFeatures(writer, detected));
      const suffix = insertReturning === null ? '' : '-read-back';
      const ann = await createUser(core, `batch-ann${suffix}`);
      const bob = await createUser(core, `batch-bob${suffix}`);
      const annInbox = await mailboxes.get(ann.id, 'INBOX');
      const bobInbox = await mailboxes.get(bob.id, 'INBOX');
      const shared = await messages.prepare(rawMessage());
      // Twenty messages with about 256 KiB of search text each: more than one multi-row INSERT carries.
      const large = await Promise.all(
        Array.from({ length: 20 }, (_, i) => messages.prepare(rawMessage({ body: `${i} ${'word '.repeat(60_000)}` }))),
      );
      const filed = await Promise.all([
        ...Array.from({ length: 6 }, () =>
          messages.file(shared, [
            { accountId: ann.id, mailboxId: annInbox.id },
            { accountId: bob.id, mailboxId: bobInbox.id },
          ]),
        ),
        ...large.map((prepared) => messages.file(prepared, [{ accountId: bob.id, mailboxId: bobInbox.id }])),
      ]);
      const copies = filed.flat();
      expect(copies).toHaveLength(32);
      for (const copy of copies) {
        const row = await messages.getById(copy.accountId, copy.messageId);
        expect(row).toMatchObject({ mailboxId: copy.mailboxId, uid: copy.uid, modseq: copy.modseq });
      }
      expect(new Set(copies.map((copy) => copy.messageId)).size).toBe(32);
      expect((await messages.list(annInbox.id)).map((row) => row.uid)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await messages.list(bobInbox.id)).map((row) => row.uid)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
      const largeRows = await messages.get(
        bobInbox.id,
        copies.filter((copy) => copy.mailboxId === bobInbox.id).map((copy) => copy.uid),
      );
      expect(largeRows.filter((row) => row.blobId !== shared.blob.id).every((row) => row.searchText.length > 200_000)).toBe(true);
      expect(await store.reader.findOneByOrFail(BlobEntity, { id: shared.blob.id })).toMatchObject({ refCount: 12 });
      for (const prepared of large)
        expect(await store.reader.findOneByOrFail(BlobEntity, { id: prepared.blob.id })).toMatchObject({ refCount: 1 });
      const bobBox = await mailboxes.get(bob.id, 'INBOX');
      expect([bobBox.messageCount, bobBox.uidNext, bobBox.unseenCount]).toEqual([26, 27, 26]);
    },
  );

  it('files concurrent deliveries into several mailboxes of one account, and files alone the one naming a mailbox of another', async () => {
    const { mailboxes, messages } = services(core);
    const cat = await createUser(core, 'several-cat');
    const dan = await createUser(core, 'several-dan');
    const inbox = await mailboxes.get(cat.id, 'INBOX');
    const junk = await mailboxes.get(cat.id, 'Junk');
    const dansInbox = await mailboxes.get(dan.id, 'INBOX');
    const prepared = await Promise.all(Array.from({ length: 8 }, () => messages.prepare(rawMessage())));
    const together = await Promise.all(
      prepared.map((message, i) =>
        messages.file(message, [{ accountId: cat.id, mailboxId: i % 2 === 0 ? inbox.id : junk.id, flags: i < 2 ? ['\\Seen'] : [] }]),
      ),
    );
    for (const copy of together.flat()) {
      expect(await messages.getById(cat.id, copy.messageId)).toMatchObject({
        mailboxId: copy.mailboxId,
        uid: copy.uid,
        modseq: copy.modseq,
      });
    }
    const settled = await Promise.allSettled([
      ...prepared.slice(0, 3).map((message) => messages.file(message, [{ accountId: cat.id, mailboxId: inbox.id }])),
      messages.file(prepared[3], [{ accountId: cat.id, mailboxId: dansInbox.id }]),
    ]);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((settled[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'NONEXISTENT' });
    expect((await messages.list(inbox.id)).map((row) => row.uid)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await messages.list(junk.id)).map((row) => row.uid)).toEqual([1, 2, 3, 4]);
    const [catInbox, catJunk, danBox] = [
      await mailboxes.get(cat.id, 'INBOX'),
      await mailboxes.get(cat.id, 'Junk'),
      await mailboxes.get(dan.id, 'INBOX'),
    ];
    expect([catInbox.messageCount, catInbox.unseenCount, catInbox.uidNext]).toEqual([7, 6, 8]);
    expect([catJunk.messageCount, catJunk.unseenCount, catJunk.uidNext]).toEqual([4, 3, 5]);
    expect([danBox.messageCount, danBox.uidNext]).toEqual([0, 1]);
    const store = core.context.get(StoreService);
    const used = (await store.reader.findOneByOrFail(AccountEntity, { id: cat.id })).usedBytes;
    expect(Number(used)).toBe([...prepared, ...prepared.slice(0, 3)].reduce((sum, message) => sum + message.blob.size, 0));
  });

  it('raises MODSEQ on every change and reports changes and expunges since a MODSEQ', async () => {
    const user = await createUser(core, 'modseq');
    const { mailboxes, messages } = services(core);
    const inbox = await mailboxes.get(user.id, 'INBOX');
    const a = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    const b = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    expect(b.modseq).toBeGreaterThan(a.modseq);

    const flagged = await messages.setFlags(user.id, inbox.id, [a.uid], 'add', ['\\Flagged', '$Important']);
    expect(flagged.changed).toEqual([{ uid: a.uid, messageId: a.messageId, modseq: b.modseq + 1, flags: ['\\Flagged', '$Important'] }]);
    // A STORE that changes nothing allocates no MODSEQ.
    expect((await messages.setFlags(user.id, inbox.id, [a.uid], 'add', ['\\Flagged'])).changed).toEqual([]);
    // UNCHANGEDSINCE below the message's MODSEQ refuses the change (RFC 7162 §3.1.3).
    const conditional = await messages.setFlags(user.id, inbox.id, [a.uid, b.uid], 'add', ['\\Seen'], b.modseq);
    expect(conditional.modified).toEqual([a.uid]);
    expect(conditional.changed.map((change) => change.uid)).toEqual([b.uid]);
    const afterSeen = conditional.changed[0].modseq;

    await messages.setFlags(user.id, inbox.id, [a.uid], 'add', ['\\Deleted']);
    expect(await messages.expunge(user.id, inbox.id)).toEqual([a.uid]);
    const changes = await messages.changesSince(inbox.id, afterSeen);
    expect(changes.vanished).toEqual([a.uid]);
    expect(changes.changed).toEqual([]);
    const since = await messages.changesSince(inbox.id, a.modseq);
    expect(since.changed.map((row) => row.uid)).toEqual([b.uid]);
    const box = await mailboxes.get(user.id, 'INBOX');
    expect(box.highestModseq).toBeGreaterThan(afterSeen);
    expect(box.unseenCount).toBe(0);
  });

  it('refuses an append over quota and keeps counters equal to a recount', async () => {
    const message = rawMessage({ body: 'x'.repeat(1000) });
    const user = await createUser(core, 'quota', message.length * 2 + 10);
    const { mailboxes, messages } = services(core);
    const inbox = await mailboxes.get(user.id, 'INBOX');
    const sent = await mailboxes.get(user.id, 'Sent');
    await messages.append({ accountId: user.id, mailboxId: inbox.id }, message);
    await messages.append({ accountId: user.id, mailboxId: sent.id, flags: ['\\Seen'] }, rawMessage({ body: 'y'.repeat(1000) }));
    await expect(
      messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage({ body: 'z'.repeat(1000) })),
    ).rejects.toMatchObject({ code: 'OVERQUOTA' });
    await expect(messages.copy(user.id, inbox.id, [1], sent.id)).rejects.toBeInstanceOf(MailError);

    // A move does not change usage, so it succeeds at the limit.
    const moved = await messages.move(user.id, inbox.id, [1], sent.id);
    expect(moved.uids).toEqual([{ source: 1, destination: 2 }]);

    const store = core.context.get(StoreService);
    const account = await store.reader.findOneByOrFail(AccountEntity, { id: user.id });
    const rows = await store.reader.findBy(MessageEntity, { accountId: user.id });
    expect(account.usedBytes).toBe(rows.reduce((sum, row) => sum + row.size, 0));
    for (const box of await store.reader.findBy(MailboxEntity, { accountId: user.id })) {
      const inBox = rows.filter((row) => row.mailboxId === box.id);
      expect([box.path, box.messageCount, box.unseenCount, box.totalSize]).toEqual([
        box.path,
        inBox.length,
        inBox.filter((row) => !row.seen).length,
        inBox.reduce((sum, row) => sum + row.size, 0),
      ]);
    }
  });

  it('renames a folder with its children and keeps their messages', async () => {
    const user = await createUser(core, 'rename');
    const { mailboxes, messages } = services(core);
    const child = await mailboxes.create(user.id, 'Projects/2026/Q4');
    expect((await mailboxes.list(user.id)).map((mailbox) => mailbox.path)).toEqual(
      expect.arrayContaining(['Projects', 'Projects/2026', 'Projects/2026/Q4']),
    );
    await messages.append({ accountId: user.id, mailboxId: child.id }, rawMessage());
    await expect(mailboxes.create(user.id, 'projects/2026')).resolves.toBeTruthy(); // names are case-sensitive but for INBOX
    await expect(mailboxes.rename(user.id, 'Projects', 'Projects/inside')).rejects.toMatchObject({ code: 'CANNOT' });
    await expect(mailboxes.rename(user.id, 'Projects', 'Sent')).rejects.toMatchObject({ code: 'ALREADYEXISTS' });

    await mailboxes.rename(user.id, 'Projects', 'Work/Old Projects');
    const paths = (await mailboxes.list(user.id)).map((mailbox) => mailbox.path);
    expect(paths).toEqual(expect.arrayContaining(['Work', 'Work/Old Projects', 'Work/Old Projects/2026', 'Work/Old Projects/2026/Q4']));
    expect(paths.filter((path) => path.startsWith('Projects'))).toEqual([]);
    const renamed = await mailboxes.get(user.id, 'Work/Old Projects/2026/Q4');
    expect(renamed.id).toBe(child.id);
    expect((await messages.list(renamed.id)).length).toBe(1);
    await expect(mailboxes.delete(user.id, 'Work/Old Projects')).rejects.toMatchObject({ code: 'HASCHILDREN' });
  });

  it('renaming INBOX moves its messages and leaves INBOX empty', async () => {
    const user = await createUser(core, 'inboxrename');
    const { mailboxes, messages } = services(core);
    const inbox = await mailboxes.get(user.id, 'inbox');
    await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    const moved = await mailboxes.rename(user.id, 'INBOX', 'Old Inbox');
    expect((await messages.list(moved.id)).map((row) => row.uid)).toEqual([1, 2]);
    expect(await messages.list(inbox.id)).toEqual([]);
    const after = await mailboxes.get(user.id, 'INBOX');
    expect([after.messageCount, after.totalSize]).toEqual([0, 0]);
    expect((await messages.changesSince(inbox.id, 0)).vanished).toEqual([1, 2]);
  });

  it('writes the expunge log and frees blobs of deleted mail', async () => {
    const user = await createUser(core, 'expunge');
    const { mailboxes, messages } = services(core);
    const inbox = await mailboxes.get(user.id, 'INBOX');
    const shared = rawMessage({ body: 'identical content for two mailboxes' });
    const one = await messages.append({ accountId: user.id, mailboxId: inbox.id }, shared);
    const archive = await mailboxes.get(user.id, 'Archive');
    await messages.append({ accountId: user.id, mailboxId: archive.id }, shared);
    const store = core.context.get(StoreService);
    const [row] = await messages.get(inbox.id, [one.uid]);
    expect(await store.reader.findOneByOrFail(BlobEntity, { id: row.blobId })).toMatchObject({ refCount: 2 });

    await messages.expunge(user.id, inbox.id, { uids: [one.uid], ignoreDeletedFlag: true });
    expect((await messages.changesSince(inbox.id, 0)).vanished).toEqual([one.uid]);
    expect(await store.reader.findOneByOrFail(BlobEntity, { id: row.blobId })).toMatchObject({ refCount: 1 });
    await messages.expunge(user.id, archive.id, { ignoreDeletedFlag: true, uids: [1] });
    expect(await store.reader.findOneByOrFail(BlobEntity, { id: row.blobId })).toMatchObject({ refCount: 0 });
  });

  it("refuses to touch another account's mailbox", async () => {
    const owner = await createUser(core, 'owner');
    const intruder = await createUser(core, 'intruder');
    const { mailboxes, messages } = services(core);
    const inbox = await mailboxes.get(owner.id, 'INBOX');
    await messages.append({ accountId: owner.id, mailboxId: inbox.id }, rawMessage());
    await expect(mailboxes.getById(intruder.id, inbox.id)).rejects.toMatchObject({ code: 'NONEXISTENT' });
    await expect(messages.setFlags(intruder.id, inbox.id, [1], 'add', ['\\Seen'])).rejects.toMatchObject({ code: 'NONEXISTENT' });
    await expect(messages.expunge(intruder.id, inbox.id, { ignoreDeletedFlag: true })).rejects.toMatchObject({ code: 'NONEXISTENT' });
    const intruderInbox = await mailboxes.get(intruder.id, 'INBOX');
    await expect(messages.copy(intruder.id, inbox.id, [1], intruderInbox.id)).rejects.toMatchObject({ code: 'NONEXISTENT' });
    await expect(messages.append({ accountId: intruder.id, mailboxId: inbox.id }, rawMessage())).rejects.toMatchObject({
      code: 'NONEXISTENT',
    });
    expect((await messages.list(inbox.id)).length).toBe(1);
  });
});
