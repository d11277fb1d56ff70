import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort, MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, SmtpWire, smtpTransaction, StoreView } from './smtp-helpers.js';

/** A header field of about `bytes` bytes, folded into lines of 78 characters. */
function padding(bytes: number): string {
  const line = ` ${'p'.repeat(76)}\r\n`;
  return `X-Padding: start\r\n${line.repeat(Math.ceil(bytes / line.length))}`;
}

/** A message whose header is `fields` as given (CRLF-terminated lines), with a short body. */
function message(fields: string): Buffer {
  return Buffer.from(
    `${fields}To: <ann@hive.test>\r\nSubject: Hostile\r\nDate: Mon, 07 Dec 2026 03:00:00 +0000\r\n` +
      `Message-ID: <${Math.random().toString(36).slice(2)}@outside.test>\r\n\r\nPay the invoice today.\r\n`,
  );
}

/** Sender checks, header limits, AUTH advertising and outbound address policy, driven as an attacker would. */
describe('SMTP against hostile senders', () => {
  let server: MailhiveProcess;
  let store: StoreView;
  /** A loopback "MX" that counts connections: outbound delivery must never reach it. */
  let internalMx: Server;
  const internalConnections: Socket[] = [];

  const mx = (from: string, raw: Buffer) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.smtp,
        secure: false,
        tls: { rejectUnauthorized: false },
      })
      .sendMail({ envelope: { from, to: ['ann@hive.test'] }, raw });

  const submit = (user: string, to: string[], raw: Buffer) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.submission,
        secure: false,
        requireTLS: true,
        auth: { user, pass: 'secret123' },
        tls: { rejectUnauthorized: false },
      })
      .sendMail({ envelope: { from: user, to }, raw });

  const inbox = async (address: string) => (await store.messages(address)).map((stored) => stored.raw.toString('latin1'));

  beforeAll(async () => {
    internalMx = createServer((socket) => {
      internalConnections.push(socket);
      socket.end('220 internal.test ESMTP\r\n');
    });
    const mxPort = await listenOnFreePort(internalMx);
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        'internal.test': {
          MX: [
            { exchange: 'mx.internal.test', priority: 10 },
            { exchange: 'mx2.internal.test', priority: 20 },
          ],
        },
        'mx.internal.test': { A: ['127.0.0.1'] },
        // An IPv4-mapped IPv6 address of a private network is as private as the IPv4 address.
        'mx2.internal.test': { A: ['10.0.0.25'], AAAA: ['::ffff:192.168.1.1'] },
        'outside.test': { TXT: [['v=spf1 -all']] },
      }),
    );
    server = await MailhiveProcess.create({
      MAILHIVE_DNS_FIXTURES: fixtures,
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
      MAILHIVE_SMTP_MAX_BAD_COMMANDS: '50',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'hive.test')).code).toBe(0);
    for (const user of ['ann', 'bob'])
      expect((await server.cli('user', 'add', `${user}@hive.test`, '--password', 'secret123')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
    for (const socket of internalConnections) socket.destroy();
    await new Promise<void>((resolve) => internalMx?.close(() => resolve()));
  });

  describe('a hosted address in From, from outside (port 25)', () => {
    it('is refused in a From list beside an outside address, in a group, and in a second From field', async () => {
      const before = (await inbox('ann@hive.test')).length;
      await expect(mx('x@outside.test', message('From: Boss <bob@hive.test>, x@outside.test\r\n'))).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/^550 5\.7\.1 From names a domain hosted here/),
      });
      await expect(mx('x@outside.test', message('From: x@outside.test, "Boss" <BOB@Hive.Test.>\r\n'))).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/^550 5\.7\.1 /),
      });
      await expect(mx('x@outside.test', message('From: Staff: bob@hive.test;\r\n'))).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/^550 5\.7\.1 From names a domain hosted here/),
      });
      await expect(mx('x@outside.test', message('From: x@outside.test\r\nFrom: Boss <bob@hive.test>\r\n'))).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/^550 5\.6\.0 .*more than one From header field/),
      });
      // Two From fields are refused whatever they name.
      await expect(mx('x@outside.test', message('From: x@outside.test\r\nfrom : y@outside.test\r\n'))).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/^550 5\.6\.0 /),
      });
      expect(await inbox('ann@hive.test')).toHaveLength(before);
    });

    it('is found behind a header padded past 64 KiB, and a header block over 256 KiB is refused', async () => {
      await expect(
        mx('x@outside.test', message(`From: x@outside.test\r\n${padding(80_000)}From: Boss <bob@hive.test>\r\n`)),
      ).rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/^550 5\.6\.0 /) });
      await expect(mx('x@outside.test', message(`${padding(80_000)}From: Boss <bob@hive.test>\r\n`))).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/^550 5\.7\.1 From names a domain hosted here/),
      });
      await expect(mx('x@outside.test', message(`${padding(300_000)}From: Boss <bob@hive.test>\r\n`))).rejects.toMatchObject({
        responseCode: 552,
        response: expect.stringMatching(/^552 5\.3\.4 Message header block exceeds 256 KiB/),
      });
    });

    it('still takes mail from outside in an outside name, with a large header and body', async () => {
      const before = (await inbox('ann@hive.test')).length;
      await mx('x@outside.test', message(`From: Friend <x@outside.test>, y@outside.test\r\n${padding(100_000)}`));
      await mx('x@outside.test', rawMessage('x@outside.test', 'ann@hive.test', 'Big body', `${'b'.repeat(998)}\r\n`.repeat(500)));
      expect(await inbox('ann@hive.test')).toHaveLength(before + 2);
    });
  });

  describe('submission (587) From ownership', () => {
    it('refuses a From of another user hidden behind a header padded past 74 KB', async () => {
      // Only a From field after the padding: the one a reader's client shows.
      const forged = message(`${padding(76_000)}From: Bob <bob@hive.test>\r\n`);
      const result = await smtpTransaction(server.ports.submission, {
        login: { user: 'ann@hive.test', pass: 'secret123' },
        mail: '<ann@hive.test>',
        rcpts: ['<bob@hive.test>'],
        message: forged,
      });
      expect(result.data).toMatch(/^553 5\.7\.1 From header not owned by the authenticated user/);
      await expect(
        submit('ann@hive.test', ['bob@hive.test'], message(`From: Ann <ann@hive.test>\r\n${padding(300_000)}`)),
      ).rejects.toMatchObject({ responseCode: 552, response: expect.stringMatching(/^552 5\.3\.4 /) });
      // A padded header of one's own is fine.
      const before = (await inbox('bob@hive.test')).length;
      await submit('ann@hive.test', ['bob@hive.test'], message(`From: Ann <ann@hive.test>\r\n${padding(76_000)}`));
      expect(await inbox('bob@hive.test')).toHaveLength(before + 1);
    });

    it('refuses a second From field even when the user owns both addresses', async () => {
      await expect(
        submit('ann@hive.test', ['bob@hive.test'], message('From: ann@hive.test\r\nFrom: ann@hive.test\r\n')),
      ).rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/^550 5\.6\.0 /) });
      await expect(
        submit('ann@hive.test', ['bob@hive.test'], message('From: Team: ann@hive.test, bob@hive.test;\r\n')),
      ).rejects.toMatchObject({ responseCode: 553, response: expect.stringMatching(/^553 5\.7\.1 /) });
    });
  });

  it('offers AUTH on 587 only after STARTTLS, and on 465 at once', async () => {
    const plain = await SmtpWire.open(server.ports.submission);
    const before = await plain.command('EHLO client.test');
    expect(before).toMatch(/^250-STARTTLS$/m);
    expect(before).not.toMatch(/AUTH/);
    expect(await plain.command('STARTTLS')).toMatch(/^220/);
    await plain.upgrade();
    expect(await plain.command('EHLO client.test')).toMatch(/^250-AUTH PLAIN LOGIN$/m);
    plain.close();
    const implicit = await SmtpWire.open(server.ports.smtps, true);
    expect(await implicit.command('EHLO client.test')).toMatch(/^250-AUTH PLAIN LOGIN$/m);
    implicit.close();
  });

  it('never connects to an MX at a loopback or private address and bounces the message with a clear reason', async () => {
    const before = (await inbox('ann@hive.test')).length;
    await submit(
      'ann@hive.test',
      ['someone@internal.test'],
      rawMessage('ann@hive.test', 'someone@internal.test', 'To the inside', 'x\r\n'),
    );
    const messages = await store.waitFor('ann@hive.test', before + 1);
    const bounce = messages.at(-1)!.raw.toString();
    expect(bounce).toContain('Final-Recipient: rfc822; someone@internal.test\r\nAction: failed\r\nStatus: 5.4.4\r\n');
    expect(bounce).toMatch(/Diagnostic-Code: smtp; 550 5\.4\.4 internal\.test has no mail server at a public address/);
    expect(bounce).toContain('mx.internal.test [127.0.0.1]');
    expect(internalConnections).toHaveLength(0);
  });
});
