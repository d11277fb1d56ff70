import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer } from './imap-wire.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'eml');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

describe('IMAP with imapflow', () => {
  let server: MailhiveProcess;
  let client: ImapFlow;

  const connect = async (user = 'ann@flow.example', pass = 'secret123') => {
    const flow = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user, pass },
      logger: false,
      tls: { rejectUnauthorized: false },
      verifyOnly: false,
    });
    await flow.connect();
    return flow;
  };

  beforeAll(async () => {
    server = await startImapServer(['ann@flow.example', 'bob@flow.example']);
    client = await connect();
  });

  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await server.destroy();
  });

  it('upgrades with STARTTLS and refuses a wrong password', async () => {
    expect(client.secureConnection).toBe(true);
    // imapflow turns on COMPRESS=DEFLATE when offered, so every test here also runs compressed.
    expect((client as unknown as { _deflate?: unknown })._deflate).toBeTruthy();
    await expect(connect('ann@flow.example', 'wrong-password')).rejects.toThrow();
  });

  it('creates, renames with children, lists and deletes mailboxes', async () => {
    await client.mailboxCreate('Projects/2024');
    await client.mailboxCreate('Grüße');
    let paths = (await client.list()).map((box) => box.path);
    expect(paths).toEqual(expect.arrayContaining(['INBOX', 'Projects', 'Projects/2024', 'Grüße', 'Sent', 'Trash']));
    const sent = (await client.list()).find((box) => box.path === 'Sent');
    expect(sent?.specialUse).toBe('\\Sent');
    await client.mailboxRename('Projects', 'Work');
    paths = (await client.list()).map((box) => box.path);
    expect(paths).toEqual(expect.arrayContaining(['Work', 'Work/2024']));
    expect(paths).not.toContain('Projects/2024');
    await expect(client.mailboxDelete('Work')).rejects.toThrow();
    await client.mailboxDelete('Work/2024');
    await client.mailboxDelete('Work');
    await client.mailboxDelete('Grüße');
    paths = (await client.list()).map((box) => box.path);
    expect(paths).not.toContain('Work');
    expect(paths).not.toContain('Grüße');
    const status = await client.status('INBOX', { messages: true, uidNext: true, uidValidity: true, unseen: true });
    expect(status && status.messages).toBeTypeOf('number');
  });

  it('appends and fetches byte-exact: BODY[], partials, HEADER.FIELDS, parts', async () => {
    await client.mailboxCreate('Exact');
    const raw = fixture('nested-rfc822.eml');
    const appended = await client.append('Exact', raw, ['\\Seen', '$Work'], new Date('2024-02-03T04:05:06Z'));
    expect(appended && appended.uid).toBe(1);
    const lock = await client.getMailboxLock('Exact');
    try {
      const message = await client.fetchOne('1', { source: true, size: true, internalDate: true, flags: true, uid: true }, { uid: true });
      expect(message && message.source?.equals(raw)).toBe(true);
      expect(message && message.size).toBe(raw.length);
      expect(message && (message.internalDate as Date).toISOString()).toBe('2024-02-03T04:05:06.000Z');
      expect(message && [...(message.flags ?? [])].sort()).toEqual(['$Work', '\\Seen']);
      const partial = await client.fetchOne('1', { source: { start: 10, maxLength: 25 } }, { uid: true });
      expect(partial && partial.source?.toString('latin1')).toBe(raw.subarray(10, 35).toString('latin1'));
      const headers = await client.fetchOne('1', { headers: ['subject', 'message-id'] }, { uid: true });
      expect(headers && headers.headers?.toString('latin1')).toBe(
        'Subject: Fwd: quarterly\r\n report\r\nMessage-ID: <outer-1@example.org>\r\n\r\n',
      );
      const parts = await client.fetchOne('1', { bodyParts: ['1.1', '2.2'] }, { uid: true });
      expect(parts && parts.bodyParts?.get('1.1')?.toString()).toBe('See the forwarded report below. Caf=C3=A9 meeting at 10.');
      expect(parts && parts.bodyParts?.get('2.2')?.toString()).toBe('quarter,revenue\r\nQ3,42');
    } finally {
      lock.release();
    }
  });

  it('returns ENVELOPE and BODYSTRUCTURE for real messages', async () => {
    await client.mailboxCreate('Structures');
    for (const name of ['alternative.eml', 'nested-rfc822.eml', 'mixed-attachments.eml']) await client.append('Structures', fixture(name));
    const lock = await client.getMailboxLock('Structures');
    try {
      const messages = [];
      for await (const message of client.fetch('1:*', { envelope: true, bodyStructure: true })) messages.push(message);
      expect(messages).toHaveLength(3);
      const [alternative, nested, mixed] = messages;
      expect(alternative.envelope).toMatchObject({
        subject: 'Café news',
        messageId: '<alt-1@example.com>',
        from: [{ name: 'Newsletter', address: 'news@example.com' }],
        to: [{ address: 'reader@example.net' }],
      });
      expect(alternative.bodyStructure).toMatchObject({
        type: 'multipart/alternative',
        parameters: { boundary: 'alt' },
        childNodes: [
          { part: '1', type: 'text/plain', parameters: { charset: 'iso-8859-1' }, encoding: 'quoted-printable' },
          { part: '2', type: 'text/html', encoding: 'base64' },
        ],
      });
      expect(nested.envelope).toMatchObject({
        subject: 'Fwd: quarterly report',
        inReplyTo: '<prev-0@example.org>',
        sender: [{ address: 'list-bounces@lists.example.org' }],
        replyTo: [{ address: 'list@lists.example.org' }],
        to: [{ name: 'Bob, the Builder', address: 'bob@example.net' }, { address: 'carol@example.net' }],
      });
      const forwarded = nested.bodyStructure?.childNodes?.[1];
      expect(forwarded).toMatchObject({
        part: '2',
        type: 'message/rfc822',
        description: 'forwarded message',
        envelope: { subject: 'quarterly report', messageId: '<inner-1@example.com>' },
        childNodes: [
          {
            type: 'multipart/mixed',
            childNodes: [
              { part: '2.1', type: 'text/plain' },
              { part: '2.2', type: 'text/csv', disposition: 'attachment', dispositionParameters: { filename: 'q3.csv' } },
            ],
          },
        ],
      });
      expect(mixed.bodyStructure?.childNodes?.[1]).toMatchObject({
        part: '2',
        type: 'image/png',
        id: '<dot@example.com>',
        encoding: 'base64',
        disposition: 'inline',
        dispositionParameters: { filename: 'dot.png' },
      });
    } finally {
      lock.release();
    }
  });

  it('searches decoded GBK, ISO-2022-JP and raw 8-bit headers, and serves malformed messages', async () => {
    await client.mailboxCreate('Charsets');
    for (const name of ['gbk.eml', 'iso-2022-jp.eml', 'malformed-headers.eml', 'no-blank-line.eml', 'garbage.eml']) {
      await client.append('Charsets', fixture(name));
    }
    const lock = await client.getMailboxLock('Charsets');
    try {
      expect(await client.search({ subject: '会议通知' }, { uid: true })).toEqual([1]);
      expect(await client.search({ subject: '会議のお知らせ' }, { uid: true })).toEqual([2]);
      expect(await client.search({ subject: 'Grüße aus Köln' }, { uid: true })).toEqual([3]);
      expect(await client.search({ body: '明日の会議' }, { uid: true })).toEqual([2]);
      const messages = [];
      for await (const message of client.fetch('1:*', { envelope: true, bodyStructure: true, source: true, uid: true }))
        messages.push(message);
      expect(messages.map((message) => message.uid)).toEqual([1, 2, 3, 4, 5]);
      expect(messages[1].envelope?.subject).toBe('会議のお知らせ');
      expect(messages[1].envelope?.from?.[0]).toMatchObject({ address: 'yamada@example.jp' });
      expect(messages[2].envelope).toMatchObject({ from: [{ name: 'Mallory', address: 'mallory@example.com' }] });
      // Every message comes back byte for byte, whatever its header looks like.
      const names = ['gbk.eml', 'iso-2022-jp.eml', 'malformed-headers.eml', 'no-blank-line.eml', 'garbage.eml'];
      messages.forEach((message, i) => expect(message.source?.equals(fixture(names[i]))).toBe(true));
    } finally {
      lock.release();
    }
  });

  it('stores flags, searches, copies and moves with COPYUID, expunges', async () => {
    await client.mailboxCreate('Flags');
    await client.mailboxCreate('Flags-Copy');
    for (let i = 1; i <= 5; i++) {
      await client.append(
        'Flags',
        Buffer.from(
          `From: sender${i}@example.com\r\nTo: ann@flow.example\r\nSubject: note ${i}\r\nDate: Mon, 0${i} Jan 2024 10:00:00 +0000\r\n\r\nbody number ${i} ${'x'.repeat(i * 100)}\r\n`,
        ),
        i % 2 ? ['\\Seen'] : [],
      );
    }
    const lock = await client.getMailboxLock('Flags');
    try {
      expect(await client.search({ seen: false }, { uid: true })).toEqual([2, 4]);
      expect(await client.search({ subject: 'note 3' }, { uid: true })).toEqual([3]);
      expect(await client.search({ from: 'sender4' }, { uid: true })).toEqual([4]);
      expect(await client.search({ body: 'number 5' }, { uid: true })).toEqual([5]);
      expect(await client.search({ larger: 350 }, { uid: true })).toEqual([3, 4, 5]);
      expect(await client.search({ or: [{ uid: '1' }, { uid: '5' }] }, { uid: true })).toEqual([1, 5]);
      expect(await client.search({ sentBefore: new Date('2024-01-03T00:00:00Z') }, { uid: true })).toEqual([1, 2]);
      expect(await client.search({ header: { 'message-id': '' } }, { uid: true })).toEqual([]);
      await client.messageFlagsAdd('2', ['\\Flagged', '$Label'], { uid: true });
      expect(await client.search({ flagged: true }, { uid: true })).toEqual([2]);
      expect(await client.search({ keyword: '$Label' }, { uid: true })).toEqual([2]);
      await client.messageFlagsRemove('2', ['\\Flagged'], { uid: true });
      await client.messageFlagsSet('1', ['\\Answered'], { uid: true });
      const one = await client.fetchOne('1', { flags: true }, { uid: true });
      expect(one && [...(one.flags ?? [])]).toEqual(['\\Answered']);
      const copied = await client.messageCopy('1:2', 'Flags-Copy', { uid: true });
      expect(copied && [...(copied.uidMap ?? new Map())]).toEqual([
        [1, 1],
        [2, 2],
      ]);
      const moved = await client.messageMove('3', 'Flags-Copy', { uid: true });
      expect(moved && [...(moved.uidMap ?? new Map())]).toEqual([[3, 3]]);
      expect(await client.search({ all: true }, { uid: true })).toEqual([1, 2, 4, 5]);
      await client.messageDelete('4', { uid: true });
      expect(await client.search({ all: true }, { uid: true })).toEqual([1, 2, 5]);
    } finally {
      lock.release();
    }
    const status = await client.status('Flags-Copy', { messages: true });
    expect(status && status.messages).toBe(3);
  });

  it("keeps another user's mailboxes out of reach", async () => {
    const bob = await connect('bob@flow.example');
    try {
      await bob.mailboxCreate('BobSecret');
      await bob.append('BobSecret', Buffer.from('Subject: secret\r\n\r\nfor bob only\r\n'));
    } finally {
      await bob.logout();
    }
    const paths = (await client.list()).map((box) => box.path);
    expect(paths).not.toContain('BobSecret');
    for (const name of [
      'BobSecret',
      '../bob@flow.example/BobSecret',
      '~bob@flow.example/BobSecret',
      '#shared/BobSecret',
      'Other Users/bob@flow.example/BobSecret',
    ]) {
      await expect(client.mailboxOpen(name)).rejects.toThrow();
      await expect(client.status(name, { messages: true })).rejects.toThrow();
    }
  });
});
