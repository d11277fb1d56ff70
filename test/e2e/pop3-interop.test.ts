import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { expectedRetr, RawPop3, runPython, ServerStore } from './pop3-e2e-support.js';

const USER = 'mix@interop.example';
const PASSWORD = 'interop secret';

interface Fetched {
  uidl: Record<string, string>;
  sizes: Record<string, number>;
  retr: Record<string, { octets: number; data: string }>;
  quit?: string;
}

/** POP3 next to SMTP delivery and IMAP on the same server. */
describe('POP3 with SMTP and IMAP', () => {
  let server: MailhiveProcess;
  let store: ServerStore;
  let imap: ImapFlow;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'interop.example')).code).toBe(0);
    expect((await server.cli('user', 'add', USER, '--password', PASSWORD)).code).toBe(0);
    store = await ServerStore.open(server);
    const mx = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.smtp,
      secure: false,
      tls: { rejectUnauthorized: false },
    });
    const bodies = ['First line\r\n.dot line\r\nlast\r\n', 'Only one line\r\n', `${'long line '.repeat(50)}\r\n\r\n..\r\nend\r\n`];
    for (const [i, body] of bodies.entries()) {
      const raw = Buffer.from(
        `From: <s${i}@outside.example>\r\nTo: <${USER}>\r\nSubject: via SMTP ${i}\r\n` +
          `Message-ID: <interop-${i}@outside.example>\r\nDate: Sun, 29 Nov 2026 10:00:0${i} +0000\r\n\r\n${body}`,
      );
      const info = await mx.sendMail({ envelope: { from: `s${i}@outside.example`, to: [USER] }, raw });
      expect(info.response).toMatch(/^250 /);
    }
    imap = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: USER, pass: PASSWORD },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await imap.connect();
  });

  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await store?.close();
    await server?.destroy();
  });

  it('RETR returns byte for byte what SMTP stored, and UIDL equals UIDVALIDITY.UID as IMAP reports them', async () => {
    const fetched = await runPython<Fetched>('pop3_fetch.py', ['127.0.0.1', String(server.ports.pop3), USER, PASSWORD]);
    const stored = await store.raws(USER);
    expect(stored).toHaveLength(3);
    stored.forEach(({ raw }, index) => {
      const retr = fetched.retr[String(index + 1)];
      expect(Buffer.from(retr.data, 'base64').equals(Buffer.from(expectedRetr(raw.toString('latin1')), 'latin1'))).toBe(true);
      // SMTP stores CRLF messages, so the POP3 size is the stored size.
      expect(fetched.sizes[String(index + 1)]).toBe(raw.length);
      expect(retr.octets).toBe(raw.length);
    });
    const mailbox = await imap.mailboxOpen('INBOX');
    const imapUids: string[] = [];
    for await (const message of imap.fetch('1:*', { uid: true })) imapUids.push(`${mailbox.uidValidity}.${message.uid}`);
    expect(Object.values(fetched.uidl)).toEqual(imapUids);
  });

  it('DELE + QUIT is seen by a concurrent IMAP session as an expunge', async () => {
    const mailbox = await imap.mailboxOpen('INBOX');
    expect(mailbox.exists).toBe(3);
    const expunged = new Promise<number>((resolve) => imap.once('expunge', (event: { seq: number }) => resolve(event.seq)));
    const pop = await RawPop3.connect(server.ports.pop3);
    await pop.line();
    await pop.command(`USER ${USER}`);
    expect(await pop.command(`PASS ${PASSWORD}`)).toBe('+OK maildrop has 3 messages');
    expect(await pop.command('DELE 2')).toBe('+OK message 2 deleted');
    expect(await pop.quit()).toBe('+OK bye (1 messages deleted)');
    await imap.noop();
    expect(await expunged).toBe(2);
    const subjects: string[] = [];
    for await (const message of imap.fetch('1:*', { envelope: true })) subjects.push(message.envelope?.subject ?? '');
    expect(subjects).toEqual(['via SMTP 0', 'via SMTP 2']);
  });

  it('a message flagged \\Deleted in IMAP but not expunged is still offered by POP3 (RFC 1939 has no flags)', async () => {
    await imap.mailboxOpen('INBOX');
    await imap.messageFlagsAdd('1', ['\\Deleted']);
    const fetched = await runPython<Fetched>('pop3_fetch.py', ['127.0.0.1', String(server.ports.pop3), USER, PASSWORD]);
    expect(Object.keys(fetched.sizes)).toHaveLength(2);
    await imap.messageFlagsRemove('1', ['\\Deleted']);
  });

  it('SIGTERM ends open sessions promptly, deletes nothing, and frees the maildrop for the next start', async () => {
    await imap.logout();
    const before = (await store.messages(USER)).length;
    const pop = await RawPop3.connect(server.ports.pop3);
    await pop.line();
    await pop.command(`USER ${USER}`);
    expect(await pop.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
    expect(await pop.command('DELE 1')).toMatch(/^\+OK/);
    const started = Date.now();
    expect(await server.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    await pop.waitClosed();
    await server.start();
    expect((await store.messages(USER)).length).toBe(before);
    const next = await RawPop3.connect(server.ports.pop3);
    await next.line();
    await next.command(`USER ${USER}`);
    expect(await next.command(`PASS ${PASSWORD}`)).toBe(`+OK maildrop has ${before} messages`);
    await next.quit();
  });
});
