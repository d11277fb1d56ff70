import { describe, expect, it } from 'vitest';
import { encodeValues } from '../protocol/imap-writer.js';
import { SelectedMailbox } from './selected-mailbox.js';

const text = (lines: ReturnType<SelectedMailbox['report']>) =>
  lines.map((line) => Buffer.concat(encodeValues(line, { utf8: false })).toString());
const options = { expunge: true, vanished: false, modseq: false };
const mailbox = () => new SelectedMailbox(7, 'INBOX', false, 1, [3, 5, 8, 9], 10);

describe('SelectedMailbox', () => {
  it('holds expunges back until they may be reported, highest sequence number first', () => {
    const box = mailbox();
    box.expunged({ accountId: 1, mailboxId: 7, modseq: 11, uids: [5, 9], messageIds: [] });
    expect(text(box.report({ ...options, expunge: false }))).toEqual([]);
    expect(box.seqOf(9)).toBe(4);
    expect(text(box.report(options))).toEqual(['4 EXPUNGE', '2 EXPUNGE']);
    expect(box.allUids).toEqual([3, 8]);
  });

  it('reports VANISHED to QRESYNC clients and EXISTS for new UIDs', () => {
    const box = mailbox();
    box.expunged({ accountId: 1, mailboxId: 7, modseq: 11, uids: [3, 8, 99], messageIds: [] });
    box.added({ accountId: 1, mailboxId: 7, messageId: 1, uid: 12, modseq: 12 });
    box.added({ accountId: 1, mailboxId: 7, messageId: 2, uid: 10, modseq: 12 });
    expect(text(box.report({ ...options, vanished: true }))).toEqual(['VANISHED 3,8', '4 EXISTS']);
    expect(box.allUids).toEqual([5, 9, 10, 12]);
  });

  it("reports others' flag changes but not this session's own", () => {
    const box = mailbox();
    box.flags({ accountId: 1, mailboxId: 7, modseq: 20, changes: [{ messageId: 1, uid: 8, modseq: 20, flags: ['\\Seen'] }] });
    box.flags({ accountId: 1, mailboxId: 7, modseq: 21, changes: [{ messageId: 2, uid: 9, modseq: 21, flags: [] }] });
    box.noteOwnModseq(21);
    expect(text(box.report({ ...options, modseq: true }))).toEqual(['3 FETCH (UID 8 FLAGS (\\Seen) MODSEQ (20))']);
    expect(box.highestModseq).toBe(20);
  });

  it('reports flag changes in MODSEQ order, and drops one older than what was queued or shown', () => {
    const box = mailbox();
    const change = (uid: number, modseq: number, flags: string[]) =>
      box.flags({ accountId: 1, mailboxId: 7, modseq, changes: [{ messageId: uid, uid, modseq, flags }] });
    // Committed 21 then 22 on message 8, but 22's event came first; 23 on message 3 came before 20 on message 9.
    change(8, 22, ['\\Seen', '\\Flagged']);
    change(8, 21, ['\\Seen']);
    change(3, 23, []);
    change(9, 20, ['\\Deleted']);
    expect(text(box.report({ ...options, modseq: true }))).toEqual([
      '4 FETCH (UID 9 FLAGS (\\Deleted) MODSEQ (20))',
      '3 FETCH (UID 8 FLAGS (\\Seen \\Flagged) MODSEQ (22))',
      '1 FETCH (UID 3 FLAGS () MODSEQ (23))',
    ]);
    // The client's own FETCH showed message 5 at 30: an event of 25 arriving after it is old news.
    box.noteShown(5, 30);
    change(5, 25, ['\\Seen']);
    change(8, 21, ['\\Seen']);
    expect(text(box.report({ ...options, modseq: true }))).toEqual([]);
    // A change committed before the selection (HIGHESTMODSEQ 10) is shown by any read already.
    change(3, 9, ['\\Seen']);
    expect(box.hasPending).toBe(false);
  });

  it('names a keyword in FLAGS before the first unsolicited FETCH that shows it', () => {
    const box = mailbox();
    box.flags({ accountId: 1, mailboxId: 7, modseq: 20, changes: [{ messageId: 1, uid: 8, modseq: 20, flags: ['$Label1'] }] });
    box.flags({ accountId: 1, mailboxId: 7, modseq: 21, changes: [{ messageId: 2, uid: 9, modseq: 21, flags: ['$Label1'] }] });
    expect(text(box.report(options))).toEqual([
      'FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)',
      'OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted',
      '3 FETCH (UID 8 FLAGS ($Label1))',
      '4 FETCH (UID 9 FLAGS ($Label1))',
    ]);
    // Known from now on, whoever shows it.
    expect(box.announceKeywords(['$Label1'])).toEqual([]);
  });

  it('does not report an arrival whose expunge overtook it', () => {
    const box = mailbox();
    box.expunged({ accountId: 1, mailboxId: 7, modseq: 12, uids: [11], messageIds: [] });
    box.added({ accountId: 1, mailboxId: 7, messageId: 1, uid: 11, modseq: 11 });
    expect(box.hasPending).toBe(false);
    expect(text(box.report(options))).toEqual([]);
    expect(box.exists).toBe(4);
  });

  it('expunges everything when the mailbox is deleted', () => {
    const box = mailbox();
    box.vanishAll();
    expect(text(box.report(options))).toEqual(['4 EXPUNGE', '3 EXPUNGE', '2 EXPUNGE', '1 EXPUNGE']);
    expect(box.exists).toBe(0);
  });

  describe('catching up with the store', () => {
    /** The committed UIDs of a mailbox and its \Recent marker, as the store would answer. */
    const store = (committed: number[], marker = 0) => {
      const state = { committed, marker, reads: 0 };
      return {
        state,
        source: {
          uidsAbove: async (uid: number) => {
            state.reads++;
            return state.committed.filter((value) => value > uid);
          },
          claimRecent: async (upTo: number) => {
            const previous = state.marker;
            state.marker = Math.max(state.marker, upTo);
            return previous;
          },
        },
      };
    };
    const added = (box: SelectedMailbox, uid: number) => box.added({ accountId: 1, mailboxId: 7, messageId: uid, uid, modseq: uid });

    it('reads the store when an arrival skips UIDs, so an earlier one arriving late is not lost', async () => {
      const box = mailbox();
      const { source, state } = store([3, 5, 8, 9, 10, 11], 9);
      box.connect(source, 'off', []);
      // 11's event overtook 10's.
      added(box, 11);
      await box.sync();
      expect(text(box.report(options))).toEqual(['6 EXISTS']);
      expect(box.allUids).toEqual([3, 5, 8, 9, 10, 11]);
      added(box, 10);
      await box.sync();
      expect(text(box.report(options))).toEqual([]);
      expect(state.reads).toBe(1);
    });

    it('takes the next UID without a read, and ignores what was expunged while reading', async () => {
      const box = mailbox();
      const { source, state } = store([3, 5, 8, 9, 10, 12]);
      box.connect(source, 'off', []);
      added(box, 10);
      await box.sync();
      expect(state.reads).toBe(0);
      added(box, 12);
      const syncing = box.sync();
      box.expunged({ accountId: 1, mailboxId: 7, modseq: 13, uids: [12], messageIds: [] });
      await syncing;
      expect(text(box.report(options))).toEqual(['5 EXISTS']);
      expect(box.allUids).toEqual([3, 5, 8, 9, 10]);
    });

    it('claims new arrivals as \\Recent in a read-write session and reports RECENT with EXISTS', async () => {
      const box = mailbox();
      const { source, state } = store([3, 5, 8, 9, 10, 11], 9);
      box.connect(source, 'claim', [9]);
      added(box, 10);
      // Another session claimed 10 and 11 first.
      state.marker = 11;
      added(box, 11);
      await box.sync();
      expect(text(box.report(options))).toEqual(['6 EXISTS', '1 RECENT']);
      expect(box.withRecent(9, ['\\Seen', 'work'])).toEqual(['\\Seen', '\\Recent', 'work']);
      expect(box.withRecent(11, ['\\Seen'])).toEqual(['\\Seen']);
      // The next arrival is this session's.
      state.committed.push(12);
      added(box, 12);
      await box.sync();
      expect(text(box.report(options))).toEqual(['7 EXISTS', '2 RECENT']);
      expect(state.marker).toBe(12);
    });

    it('never claims in EXAMINE or IMAP4rev2 sessions', async () => {
      for (const mode of ['show', 'off'] as const) {
        const box = mailbox();
        const { source, state } = store([3, 5, 8, 9, 10], 9);
        box.connect(source, mode, []);
        added(box, 10);
        await box.sync();
        expect(text(box.report(options))).toEqual(mode === 'show' ? ['5 EXISTS', '0 RECENT'] : ['5 EXISTS']);
        expect(state.marker).toBe(9);
      }
    });
  });
});
