import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxArrivalsService } from '../../core/mail/mailbox-arrivals.service.js';
import { MailRepository } from '../../core/store/repositories/mail.repository.js';
import { SelectedMailbox } from '../../core/imap/session/selected-mailbox.js';
import { encodeValues } from '../../core/imap/protocol/imap-writer.js';
import { StoreService } from '../../core/store/store.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, rawMessage, services } from './fixtures.js';

const report = (box: SelectedMailbox) =>
  box
    .report({ expunge: true, vanished: false, modseq: false })
    .map((line) => Buffer.concat(encodeValues(line, { utf8: false })).toString());

describe(`mailbox arrivals and \\Recent on ${TEST_DB}`, () => {
  let core: TestCore;
  let arrivals: MailboxArrivalsService;

  beforeAll(async () => {
    core = await openTestCore();
    arrivals = core.context.get(MailboxArrivalsService);
  });

  afterAll(async () => {
    await core.close();
  });

  const inboxOf = async (name: string) => {
    const user = await createUser(core, name);
    return { user, inbox: await services(core).mailboxes.get(user.id, 'INBOX') };
  };

  it('makes UIDs visible in UID order: a later allocation waits for an earlier open transaction', async () => {
    const { inbox } = await inboxOf('order');
    const store = core.context.get(StoreService);
    const repository = core.context.get(MailRepository);
    const done: string[] = [];
    let releaseFirst!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const allocateOne = async (manager: Parameters<Parameters<StoreService['transaction']>[0]>[0]) => {
      const allocated = await repository.allocate(manager, inbox.id, 1, { unseen: 0, size: 0 });
      if (!allocated) throw new Error('no such mailbox');
      return allocated.firstUid;
    };
    let firstAllocated!: () => void;
    const allocated = new Promise<void>((resolve) => {
      firstAllocated = resolve;
    });
    const first = store
      .transaction(async (manager) => {
        const uid = await allocateOne(manager);
        firstAllocated();
        await held;
        return uid;
      })
      .then((uid) => {
        done.push('first');
        return uid;
      });
    await allocated;
    const second = store.transaction(allocateOne).then((uid) => {
      done.push('second');
      return uid;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The second allocation cannot finish (nor take a UID) while the first transaction is open.
    expect(done).toEqual([]);
    releaseFirst();
    const [a, b] = await Promise.all([first, second]);
    expect(done).toEqual(['first', 'second']);
    expect(b).toBe(a + 1);
  });

  it('lists the UIDs above a given one', async () => {
    const { user, inbox } = await inboxOf('above');
    const { messages } = services(core);
    for (let i = 0; i < 4; i++) await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    expect(await arrivals.uidsAbove(inbox.id, 0)).toEqual([1, 2, 3, 4]);
    expect(await arrivals.uidsAbove(inbox.id, 2)).toEqual([3, 4]);
    expect(await arrivals.uidsAbove(inbox.id, 4)).toEqual([]);
  });

  it('hands out each \\Recent UID to exactly one of many concurrent claims', async () => {
    const { user, inbox } = await inboxOf('claims');
    const { messages, mailboxes } = services(core);
    for (let i = 0; i < 6; i++) await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    const box = await mailboxes.get(user.id, 'INBOX');
    expect(box.recentUid).toBe(0);
    expect(await arrivals.countRecent(box)).toBe(6);
    const targets = [3, 6, 2, 5, 6, 4, 1, 6];
    const previous = await Promise.all(targets.map((upTo) => arrivals.claimRecent(inbox.id, upTo)));
    const owned = targets.flatMap((upTo, index) =>
      Array.from({ length: Math.max(0, upTo - previous[index]) }, (_, i) => previous[index] + i + 1),
    );
    expect(owned.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const after = await mailboxes.get(user.id, 'INBOX');
    expect(after.recentUid).toBe(6);
    expect(await arrivals.countRecent(after)).toBe(0);
    // Nothing left to claim: the answer is the marker, and nothing is owned.
    expect(await arrivals.claimRecent(inbox.id, 6)).toBe(6);
  });

  it('delivers every committed message once, in UID order, when their events arrive out of order', async () => {
    const { user, inbox } = await inboxOf('late');
    const { messages } = services(core);
    const first = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    const view = new SelectedMailbox(inbox.id, 'INBOX', false, inbox.uidValidity, [first.uid], first.modseq);
    view.connect(
      { uidsAbove: (uid) => arrivals.uidsAbove(inbox.id, uid), claimRecent: (upTo) => arrivals.claimRecent(inbox.id, upTo) },
      'claim',
      [],
    );
    // Two more commits (as two nodes would make them); the event of the later one arrives first.
    const second = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    const third = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage());
    const event = (filed: typeof second) => ({
      accountId: user.id,
      mailboxId: inbox.id,
      messageId: filed.messageId,
      uid: filed.uid,
      modseq: filed.modseq,
    });
    view.added(event(third));
    await view.sync();
    expect(report(view)).toEqual(['3 EXISTS', '2 RECENT']);
    expect(view.allUids).toEqual([first.uid, second.uid, third.uid]);
    // The late event changes nothing.
    view.added(event(second));
    await view.sync();
    expect(report(view)).toEqual([]);
    expect(view.allUids).toEqual([first.uid, second.uid, third.uid]);
  });
});
