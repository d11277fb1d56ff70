import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, SmtpWire, splitTrace, StoreView } from './smtp-helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));

describe('SMTP inbound (MX, port 25)', () => {
  let server: MailhiveProcess;
  let store: StoreView;

  const mx = () =>
    nodemailer.createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, tls: { rejectUnauthorized: false } });
  const send = (to: string[], raw: Buffer, from = 'sender@outside.example') => mx().sendMail({ envelope: { from, to }, raw });

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_MAX_MESSAGE_SIZE: '21M', MAILHIVE_SMTP_MAX_BAD_COMMANDS: '50' });
    await server.start();
    expect((await server.cli('domain', 'add', 'in.example')).code).toBe(0);
    for (const user of ['ann', 'bob', 'cid', 'dan', 'eve']) {
      expect((await server.cli('user', 'add', `${user}@in.example`, '--password', 'secret123')).code).toBe(0);
    }
    expect((await server.cli('user', 'add', 'small@in.example', '--password', 'secret123', '--quota', '4K')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('advertises the ESMTP extensions after EHLO', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    const ehlo = await wire.command('EHLO client.example');
    for (const extension of ['PIPELINING', 'SIZE 22020096', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'STARTTLS', 'DSN']) {
      expect(ehlo).toMatch(new RegExp(`^250[- ]${extension}$`, 'm'));
    }
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await wire.command('QUIT')).toMatch(/^221/);
    wire.close();
  });

  it('stores a plain message byte for byte after the prepended trace headers', async () => {
    const raw = rawMessage('sender@outside.example', 'ann@in.example', 'Plain', 'Hello Ann.\r\nSecond line.\r\n');
    const info = await send(['ann@in.example'], raw);
    expect(info.response).toMatch(/^250 2\.6\.0 /);
    const [stored] = await store.messages('ann@in.example');
    const { trace, rest } = splitTrace(stored!.raw, raw);
    expect(rest.equals(raw)).toBe(true);
    expect(trace).toMatch(/^Received-SPF: /m);
    expect(trace).toMatch(/^Authentication-Results: mail\.test\.example;/m);
    expect(trace).toMatch(
      /^Received: from [^\r\n]+\r\n\tby mail\.test\.example \(Mailhive\) with ESMTPS? id \w+\r\n\tfor <ann@in\.example>;\r\n\t\w{3}, /m,
    );
    // Whole lines only: the trace ends with CRLF and every line is a field or a folded continuation.
    expect(trace.endsWith('\r\n')).toBe(true);
    for (const line of trace.slice(0, -2).split('\r\n')) expect(line).toMatch(/^([\w-]+: |[ \t])/);
  });

  it('serves the delivered message over IMAP with the same bytes (imapflow)', async () => {
    const raw = rawMessage('sender@outside.example', 'eve@in.example', 'Read me over IMAP', 'Via IMAP.\r\n');
    await send(['eve@in.example'], raw);
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'eve@in.example', pass: 'secret123' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const messages = [];
        for await (const message of client.fetch('1:*', { uid: true, source: true, envelope: true })) messages.push(message);
        const fetched = messages.find((message) => message.envelope?.subject === 'Read me over IMAP')!;
        expect(splitTrace(fetched.source!, raw).rest.equals(raw)).toBe(true);
        const stored = (await store.messages('eve@in.example')).find((message) => message.uid === fetched.uid)!;
        expect(fetched.source!.equals(stored.raw)).toBe(true);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('stores MIME with attachments, 8-bit body and UTF-8 headers (SMTPUTF8) exactly', async () => {
    const raw = await new MailComposer({
      from: 'Jürgen <jürgen@outside.example>',
      to: 'bob@in.example',
      subject: 'Grüße – 你好',
      text: 'Ünïcödé 8-bit body\r\n',
      textEncoding: 'quoted-printable',
      attachments: [
        { filename: 'data.bin', content: randomBytes(30_000) },
        { filename: 'note.txt', content: 'plain attachment' },
      ],
    })
      .compile()
      .build();
    const eightBit = Buffer.concat([
      raw.subarray(0, raw.indexOf('\r\n\r\n') + 4),
      Buffer.from('Raw 8-bit: Größe ½\r\n', 'utf8'),
      raw.subarray(raw.indexOf('\r\n\r\n') + 4),
    ]);
    const info = await send(['bob@in.example'], eightBit, 'jürgen@outside.example');
    expect(info.accepted).toEqual(['bob@in.example']);
    const [stored] = await store.messages('bob@in.example');
    expect(splitTrace(stored!.raw, eightBit).rest.equals(eightBit)).toBe(true);
    expect(stored!.raw.toString('utf8')).toMatch(/with UTF8SMTPS? id/);
  });

  it('stores a message for several local users once (one blob, one row each)', async () => {
    const raw = rawMessage('sender@outside.example', 'cid@in.example', 'Shared', 'For three of you.\r\n');
    const info = await send(['cid@in.example', 'dan@in.example', 'eve@in.example'], raw);
    expect(info.accepted).toHaveLength(3);
    const copies = await Promise.all(['cid', 'dan', 'eve'].map(async (user) => (await store.messages(`${user}@in.example`)).at(-1)!));
    expect(new Set(copies.map((copy) => copy.blobId)).size).toBe(1);
    expect(copies[0]!.raw.toString()).not.toMatch(/\tfor </);
  });

  it('stores a 20 MB message intact and pipelines the envelope', async () => {
    const line = `${'x'.repeat(76)}\r\n`;
    const raw = Buffer.concat([
      rawMessage('sender@outside.example', 'ann@in.example', 'Big', ''),
      Buffer.from(line.repeat(Math.ceil((20 * 1024 * 1024) / line.length))),
    ]);
    const before = (await store.messages('ann@in.example')).length;
    const info = await send(['ann@in.example'], raw);
    expect(info.accepted).toEqual(['ann@in.example']);
    const messages = await store.messages('ann@in.example');
    expect(messages).toHaveLength(before + 1);
    expect(splitTrace(messages.at(-1)!.raw, raw).rest.equals(raw)).toBe(true);
  });

  it('answers a pipelined envelope in order (RFC 2920)', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    wire.write(
      'MAIL FROM:<a@outside.example>\r\nRCPT TO:<cid@in.example>\r\nRCPT TO:<nobody@in.example>\r\nRCPT TO:<dan@in.example>\r\nDATA\r\n',
    );
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push((await wire.reply())!.slice(0, 9));
    expect(replies).toEqual(['250 2.1.0', '250 2.1.5', '550 5.1.1', '250 2.1.5', '354 End d']);
    wire.write('Subject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    expect(await wire.reply()).toMatch(/^250 2\.6\.0 /);
    expect(await wire.reply()).toMatch(/^221 /);
    wire.close();
  });

  it('sends the replies to a message and the QUIT pipelined behind it in one segment', async () => {
    const socket = connect({ port: server.ports.smtp, host: '127.0.0.1' });
    const chunks: string[] = [];
    let wake: () => void = () => undefined;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk.toString());
      wake();
    });
    const until = async (done: () => boolean) => {
      while (!done())
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
    };
    await until(() => chunks.join('').includes('\r\n'));
    socket.write('EHLO client.example\r\nMAIL FROM:<a@outside.example>\r\nRCPT TO:<cid@in.example>\r\nDATA\r\n');
    await until(() => chunks.join('').includes('354 '));
    chunks.length = 0;
    socket.write('Subject: together\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    await until(() => chunks.length > 0);
    expect(chunks[0]).toMatch(/^250 2\.6\.0 [^\r\n]*\r\n221 [^\r\n]*\r\n$/);
    socket.destroy();
  });

  it('refuses an unknown user with 550 5.1.1 and a foreign domain with 554 5.7.1 (no open relay)', async () => {
    const raw = rawMessage('sender@outside.example', 'nobody@in.example', 'x', 'x\r\n');
    await expect(send(['nobody@in.example'], raw)).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/^550 5\.1\.1 /),
    });
    await expect(send(['someone@elsewhere.example'], raw)).rejects.toMatchObject({
      responseCode: 554,
      response: expect.stringMatching(/^554 5\.7\.1 Relay access denied/),
    });
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    expect(await wire.command('MAIL FROM:<a@outside.example>')).toMatch(/^250/);
    expect(await wire.command('RCPT TO:<victim@gmail.example>')).toMatch(/^554 5\.7\.1 /);
    expect(await wire.command('RCPT TO:<ann@in.example>')).toMatch(/^250 2\.1\.5/);
    wire.close();
  });

  it('delivers a sub-address (user+tag) to the user, naming it in the Received line', async () => {
    const raw = rawMessage('shop@outside.example', 'dan+shop@in.example', 'Your order', 'Shipped\r\n');
    await send(['Dan+Shop@in.example'], raw);
    const { trace, rest } = splitTrace((await store.messages('dan@in.example')).at(-1)!.raw, raw);
    expect(rest.equals(raw)).toBe(true);
    expect(trace).toMatch(/\tfor <Dan\+Shop@in\.example>;/);
  });

  it('delivers unknown local parts to the catch-all the operator sets, and refuses them again once it is off', async () => {
    expect((await server.cli('domain', 'catch-all', 'in.example', 'eve@in.example')).stdout).toBe(
      'catch-all of in.example is eve@in.example\n',
    );
    const raw = rawMessage('sender@outside.example', 'sales@in.example', 'To anyone there', 'Hello?\r\n');
    await send(['sales@in.example'], raw);
    const { rest } = splitTrace((await store.messages('eve@in.example')).at(-1)!.raw, raw);
    expect(rest.equals(raw)).toBe(true);
    expect((await server.cli('domain', 'catch-all', 'in.example', 'off')).stdout).toBe('catch-all of in.example removed\n');
    await expect(send(['sales@in.example'], raw)).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/^550 5\.1\.1 /),
    });
  });

  it('refuses a message over the size limit while streaming with 552 5.3.4', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    expect(await wire.command('MAIL FROM:<a@outside.example> SIZE=30000000')).toMatch(/^552 5\.3\.4 /);
    await wire.command('MAIL FROM:<a@outside.example>');
    await wire.command('RCPT TO:<ann@in.example>');
    expect(await wire.command('DATA')).toMatch(/^354/);
    const before = (await store.messages('ann@in.example')).length;
    const chunk = Buffer.from(`${'y'.repeat(998)}\r\n`.repeat(1024));
    wire.write('Subject: too big\r\n\r\n');
    for (let i = 0; i < 23; i++) wire.write(chunk);
    wire.write('\r\n.\r\n');
    expect(await wire.reply(30_000)).toMatch(/^552 5\.3\.4 /);
    expect(await wire.command('NOOP')).toMatch(/^250/);
    wire.close();
    expect(await store.messages('ann@in.example')).toHaveLength(before);
  });

  it('answers 452 4.2.2 for a full mailbox and 552 5.2.2 for a message that can never fit', async () => {
    const filler = rawMessage('sender@outside.example', 'small@in.example', 'fill', `${'z'.repeat(3000)}\r\n`);
    await send(['small@in.example'], filler);
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    await wire.command('MAIL FROM:<a@outside.example> SIZE=8000');
    expect(await wire.command('RCPT TO:<small@in.example>')).toMatch(/^552 5\.2\.2 /);
    await wire.command('RSET');
    await wire.command('MAIL FROM:<a@outside.example> SIZE=2000');
    expect(await wire.command('RCPT TO:<small@in.example>')).toMatch(/^452 4\.2\.2 /);
    wire.close();
    await expect(send(['small@in.example'], filler)).rejects.toMatchObject({ responseCode: 452 });
  });

  describe('SMTP smuggling: only <CRLF>.<CRLF> ends DATA', () => {
    const vectors: [string, string][] = [
      ['<LF>.<LF>', '\n.\n'],
      ['<LF>.<CRLF>', '\n.\r\n'],
      ['<CRLF>.<LF>', '\r\n.\n'],
      ['<CR>.<CR>', '\r.\r'],
      ['<CR><LF>.<CR>', '\r\n.\r'],
    ];
    for (const [name, ending] of vectors) {
      it(`${name} neither ends the message nor starts a second transaction`, async () => {
        const before = (await store.messages('bob@in.example')).length;
        const wire = await SmtpWire.open(server.ports.smtp);
        await wire.command('EHLO attacker.example');
        await wire.command('MAIL FROM:<a@outside.example>');
        await wire.command('RCPT TO:<bob@in.example>');
        expect(await wire.command('DATA')).toMatch(/^354/);
        wire.write(
          `From: <a@outside.example>\r\nSubject: smuggle ${name}\r\n\r\nfirst part${ending}` +
            'MAIL FROM:<ceo@in.example>\r\nRCPT TO:<eve@in.example>\r\nDATA\r\nFrom: <ceo@in.example>\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\n',
        );
        const replies = [await wire.reply()];
        expect(replies[0]).toMatch(/^250 2\.6\.0 /);
        expect(await wire.command('QUIT')).toMatch(/^221/);
        expect(wire.pending()).toBe('');
        wire.close();
        const messages = await store.messages('bob@in.example');
        expect(messages).toHaveLength(before + 1);
        const text = messages.at(-1)!.raw.toString('latin1');
        expect(text).toContain('MAIL FROM:<ceo@in.example>');
        expect(text).toContain('smuggled');
        // Bare CR and LF were stored as CRLF, so nothing down the line can read them as an end of data.
        expect(text).not.toMatch(/[^\r]\n|\r[^\n]/);
      });
    }

    it('unstuffs a leading dot and keeps a ".." line as "."', async () => {
      const wire = await SmtpWire.open(server.ports.smtp);
      await wire.command('EHLO client.example');
      await wire.command('MAIL FROM:<a@outside.example>');
      await wire.command('RCPT TO:<cid@in.example>');
      await wire.command('DATA');
      wire.write('Subject: dots\r\n\r\n..\r\n..leading\r\n.\r\n');
      expect(await wire.reply()).toMatch(/^250/);
      wire.close();
      const stored = (await store.messages('cid@in.example')).at(-1)!.raw.toString();
      expect(stored.endsWith('Subject: dots\r\n\r\n.\r\n.leading\r\n')).toBe(true);
    });
  });

  it('accepts binary garbage as a message and stays up', async () => {
    const garbage = randomBytes(200_000).toString('latin1').replaceAll('\r\n.\r\n', 'xxxxx');
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    await wire.command('MAIL FROM:<a@outside.example>');
    await wire.command('RCPT TO:<dan@in.example>');
    await wire.command('DATA');
    wire.write(Buffer.from(`${garbage}\r\n.\r\n`, 'latin1'));
    expect(await wire.reply(20_000)).toMatch(/^250 2\.6\.0 /);
    expect(await wire.command('NOOP')).toMatch(/^250/);
    wire.close();
  });

  it('discards commands pipelined behind STARTTLS', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    wire.write('STARTTLS\r\nMAIL FROM:<injected@outside.example>\r\nRCPT TO:<ann@in.example>\r\n');
    expect(await wire.reply()).toMatch(/^220/);
    await wire.upgrade();
    const ehlo = await wire.command('EHLO client.example');
    expect(ehlo).not.toMatch(/STARTTLS/);
    // Had the injected MAIL been kept, RCPT would be accepted; it must be a bad sequence instead.
    expect(await wire.command('RCPT TO:<ann@in.example>')).toMatch(/^503 /);
    wire.close();
  });

  it('closes the connection after too many unknown recipients', async () => {
    const limited = await SmtpWire.open(server.ports.smtp);
    await limited.command('EHLO harvester.example');
    await limited.command('MAIL FROM:<a@outside.example>');
    let last: string | null = null;
    for (let i = 0; (i < 60 && last !== null && !last.startsWith('421')) || i === 0; i++)
      last = await limited.command(`RCPT TO:<guess${i}@in.example>`);
    expect(last).toMatch(/^421 4\.7\.0 /);
    expect(await limited.reply()).toBeNull();
    limited.close();
  });

  it('counts messages and refusals in /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
    expect(Number(/^mailhive_smtp_messages_total\{listener="mx",outcome="accepted"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(5);
    expect(text).toMatch(/^mailhive_smtp_refusals_total\{listener="mx",code="550"\} \d+$/m);
    expect(text).toMatch(/^mailhive_smtp_messages_total\{listener="mx",outcome="552"\} 1$/m);
  });

  it('accepts mail from Python smtplib', async () => {
    const { stdout } = await promisify(execFile)('python3', [
      join(HERE, 'python', 'smtp_send.py'),
      String(server.ports.smtp),
      'dan@in.example',
    ]);
    expect(stdout.trim()).toBe('sent');
    const messages = await store.messages('dan@in.example');
    expect(messages.at(-1)!.raw.toString()).toContain('Subject: from smtplib');
  });
});
