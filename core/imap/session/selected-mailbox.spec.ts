import { describe, expect, it } from 'vitest';
import { encodeValues } from '../protocol/imap-writer.js';
import { SelectedMailbox } from './selected-mailbox.js';

const text = (lines: ReturnType<SelectedMailbox['report']>) => lines.map((line) => Buffer.concat(encodeValues(line, { utf8: false })).toString());
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

  it('reports others\' flag changes but not this session\'s own', () => {
    const box = mailbox();
    box.flags({ accountId: 1, mailboxId: 7, modseq: 20, changes: [{ messageId: 1, uid: 8, modseq: 20, flags: ['\\Seen'] }] });
    box.flags({ accountId: 1, mailboxId: 7, modseq: 21, changes: [{ messageId: 2, uid: 9, modseq: 21, flags: [] }] });
    box.noteOwnModseq(21);
    expect(text(box.report({ ...options, modseq: true }))).toEqual(['3 FETCH (UID 8 FLAGS (\\Seen) MODSEQ (20))']);
    expect(box.highestModseq).toBe(20);
  });

  it('expunges everything when the mailbox is deleted', () => {
    const box = mailbox();
    box.vanishAll();
    expect(text(box.report(options))).toEqual(['4 EXPUNGE', '3 EXPUNGE', '2 EXPUNGE', '1 EXPUNGE']);
    expect(box.exists).toBe(0);
  });
});
