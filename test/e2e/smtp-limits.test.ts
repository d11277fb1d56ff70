import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, SmtpWire, StoreView } from './smtp-helpers.js';

/** A policy plugin written only against the plugin API's shapes, loaded from a file like a third-party package. */
const POLICY_PLUGIN = (blockFile: string) => `
import { existsSync } from 'node:fs';
export default {
  name: 'test-policy',
  hooks: {
    'smtp.connect': () => existsSync(${JSON.stringify(blockFile)}) ? { action: 'reject', text: 'not today' } : undefined,
    'smtp.ehlo': (ctx) => ctx.helo === 'spammer.example' ? { action: 'reject', text: 'go away' } : undefined,
    'smtp.mail': (ctx) => ctx.sender === 'later@outside.example' ? { action: 'tempfail', text: 'greylisted' } : undefined,
    'smtp.rcpt': (ctx) => ctx.recipient.startsWith('blocked@') ? { action: 'reject', code: 550, text: 'recipient blocked by policy' } : undefined,
    'smtp.data': (ctx) => {
      const subject = ctx.headers.subject ?? '';
      if (subject.includes('DROP')) return { action: 'discard' };
      if (subject.includes('JUNKALL') && ctx.raw.includes('casino')) return { action: 'quarantine' };
      return undefined;
    },
    'message.send': (ctx) => ctx.recipients.some((r) => r.endsWith('@embargo.example')) ? { action: 'reject', code: 550, text: 'destination embargoed' } : undefined,
    'message.deliver': (ctx) => {
      const subject = ctx.headers.subject ?? '';
      if (subject.includes('SPAM') && ctx.recipient.startsWith('ann@')) return { action: 'quarantine' };
      if (subject.includes('REFUSE') && ctx.recipient.startsWith('bob@')) return { action: 'reject', text: 'bob refuses this' };
      return undefined;
    },
  },
};
`;

describe('SMTP limits, plugin hooks and shutdown', () => {
  let server: MailhiveProcess;
  let store: StoreView;
  let blockFile: string;

  const send = (to: string[], raw: Buffer, from = 'sender@outside.example') =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.smtp,
        secure: false,
        tls: { rejectUnauthorized: false },
      })
      .sendMail({ envelope: { from, to }, raw });

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailhive-plugin-'));
    blockFile = join(dir, 'block-connections');
    writeFileSync(join(dir, 'policy.mjs'), POLICY_PLUGIN(blockFile));
    server = await MailhiveProcess.create({
      MAILHIVE_SMTP_MAX_CONNECTIONS_PER_ADDRESS: '3',
      MAILHIVE_TRUSTED_NETWORKS: '',
      MAILHIVE_SMTP_IDLE_TIMEOUT_SECONDS: '2',
      MAILHIVE_SMTP_GREETING_PAUSE_MS: '400',
      MAILHIVE_SMTP_MAX_LINE_LENGTH: '512',
      MAILHIVE_SMTP_MAX_RECIPIENTS: '3',
      MAILHIVE_PLUGINS: join(dir, 'policy.mjs'),
      MAILHIVE_SMTP_BARE_LINE_ENDINGS: 'reject',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'lim.example')).code).toBe(0);
    for (const user of ['ann', 'bob'])
      expect((await server.cli('user', 'add', `${user}@lim.example`, '--password', 'secret123')).code).toBe(0);
    expect((await server.cli('alias', 'add', 'team@lim.example', 'ann@lim.example', 'bob@lim.example')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('pauses before the greeting as configured and refuses a client that talks first', async () => {
    const started = Date.now();
    const wire = await SmtpWire.open(server.ports.smtp);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    wire.close();
    const socket = connect({ port: server.ports.smtp, host: '127.0.0.1' });
    socket.on('connect', () => socket.write('EHLO eager.example\r\n'));
    const replies = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
    });
    expect(replies).toMatch(/^421 .*You talk too soon\r\n/);
  });

  it('frees a connection slot when a connection closes', async () => {
    const open = await Promise.all([1, 2, 3].map(() => SmtpWire.open(server.ports.smtp)));
    open[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await SmtpWire.open(server.ports.smtp);
    expect(await again.command('NOOP')).toMatch(/^250/);
    for (const wire of [...open.slice(1), again]) wire.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('answers the over-limit connection with 421 4.7.0', async () => {
    const open = await Promise.all([1, 2, 3].map(() => SmtpWire.open(server.ports.smtp)));
    const socket = connect({ port: server.ports.smtp, host: '127.0.0.1' });
    const greeting = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
    });
    expect(greeting).toMatch(/^421 4\.7\.0 Too many connections from your address\r\n$/);
    for (const wire of open) wire.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('closes an idle connection after the idle timeout', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    const started = Date.now();
    expect(await wire.reply(6000)).toMatch(/^421 /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(await wire.reply()).toBeNull();
  });

  it('answers an over-long command line with 500 5.5.2 and goes on (RFC 5321 §4.5.3.1.4)', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    expect(await wire.command(`MAIL FROM:<${'a'.repeat(600)}@outside.example>`)).toBe('500 5.5.2 Line too long');
    // A long line sent in pieces is refused as soon as it passes the limit, and its tail, which looks like a
    // command, is never read as one: the RCPT after it finds no transaction.
    wire.write(`NOOP ${'b'.repeat(300)}`);
    wire.write('b'.repeat(300));
    expect(await wire.reply()).toBe('500 5.5.2 Line too long');
    wire.write('MAIL FROM:<tail@outside.example>\r\n');
    expect(await wire.command('RCPT TO:<ann@lim.example>')).toMatch(/^503 /);
    // Pipelined after an over-long line: each command still gets its own answer, in order.
    wire.write(`NOOP ${'c'.repeat(600)}\r\nMAIL FROM:<a@outside.example>\r\n`);
    expect(await wire.reply()).toBe('500 5.5.2 Line too long');
    expect(await wire.reply()).toMatch(/^250 /);
    expect(await wire.command('RCPT TO:<ann@lim.example>')).toMatch(/^250 /);
    expect(await wire.command('QUIT')).toMatch(/^221 /);
  });

  it('closes a connection that keeps sending over-long lines', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    const replies: (string | null)[] = [];
    for (let i = 0; i < 10; i++) replies.push(await wire.command(`NOOP ${'x'.repeat(600)}`));
    expect(replies.slice(0, 9)).toEqual(Array(9).fill('500 5.5.2 Line too long'));
    expect(replies[9]).toMatch(/^421 4\.7\.0 /);
    expect(await wire.reply()).toBeNull();
  });

  it('limits recipients per message with 452 4.5.3', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    await wire.command('MAIL FROM:<a@outside.example>');
    for (let i = 0; i < 3; i++) expect(await wire.command(`RCPT TO:<${['ann', 'bob', 'team'][i]}@lim.example>`)).toMatch(/^250/);
    expect(await wire.command('RCPT TO:<ann+4@lim.example>')).toMatch(/^452 4\.5\.3 /);
    wire.close();
  });

  it('refuses bare LF in DATA with 550 5.6.0 when configured to reject', async () => {
    const before = (await store.messages('bob@lim.example')).length;
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    await wire.command('MAIL FROM:<a@outside.example>');
    await wire.command('RCPT TO:<bob@lim.example>');
    await wire.command('DATA');
    wire.write('Subject: bare\r\n\r\nline one\n.\nMAIL FROM:<x@outside.example>\r\n.\r\n');
    expect(await wire.reply()).toMatch(/^550 5\.6\.0 /);
    expect(await wire.command('NOOP')).toMatch(/^250/);
    wire.close();
    expect(await store.messages('bob@lim.example')).toHaveLength(before);
  });

  it('runs plugin hooks: smtp.mail tempfail, smtp.rcpt reject, smtp.data discard, message.deliver quarantine into Junk', async () => {
    await expect(
      send(['ann@lim.example'], rawMessage('later@outside.example', 'ann@lim.example', 'x', 'x\r\n'), 'later@outside.example'),
    ).rejects.toMatchObject({ responseCode: 451, response: '451 4.7.1 greylisted' });
    expect((await server.cli('user', 'add', 'blocked@lim.example', '--password', 'secret123')).code).toBe(0);
    await expect(send(['blocked@lim.example'], rawMessage('a@outside.example', 'blocked@lim.example', 'x', 'x\r\n'))).rejects.toMatchObject(
      { responseCode: 550, response: '550 5.7.1 recipient blocked by policy' },
    );

    const inboxBefore = (await store.messages('bob@lim.example')).length;
    await send(['bob@lim.example'], rawMessage('a@outside.example', 'bob@lim.example', 'please DROP this', 'x\r\n'));
    expect(await store.messages('bob@lim.example')).toHaveLength(inboxBefore);

    // One message to a list: the hook files Ann's copy into Junk and Bob's into his INBOX.
    await send(['team@lim.example'], rawMessage('a@outside.example', 'team@lim.example', 'Cheap SPAM offer', 'x\r\n'));
    expect((await store.messages('ann@lim.example', 'Junk')).map((m) => m.raw.toString()).join()).toContain('Subject: Cheap SPAM offer');
    expect((await store.messages('ann@lim.example')).map((m) => m.raw.toString()).join()).not.toContain('Cheap SPAM offer');
    expect((await store.messages('bob@lim.example')).at(-1)!.raw.toString()).toContain('Subject: Cheap SPAM offer');

    // smtp.data sees the whole message and can send every local copy to Junk.
    await send(['team@lim.example'], rawMessage('a@outside.example', 'team@lim.example', 'JUNKALL', 'online casino\r\n'));
    for (const user of ['ann', 'bob']) {
      expect((await store.messages(`${user}@lim.example`, 'Junk')).at(-1)!.raw.toString()).toContain('Subject: JUNKALL');
    }
  });

  it('runs smtp.connect before the greeting', async () => {
    writeFileSync(blockFile, '');
    try {
      const socket = connect({ port: server.ports.smtp, host: '127.0.0.1' });
      const greeting = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        socket.on('close', () => resolve(text));
      });
      expect(greeting).toBe('554 5.7.1 not today\r\n');
    } finally {
      rmSync(blockFile);
    }
    const wire = await SmtpWire.open(server.ports.smtp);
    expect(await wire.command('NOOP')).toMatch(/^250/);
    wire.close();
  });

  it('runs smtp.ehlo before the first MAIL after EHLO', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO spammer.example');
    expect(await wire.command('MAIL FROM:<a@outside.example>')).toBe('550 5.7.1 go away');
    await wire.command('EHLO honest.example');
    expect(await wire.command('MAIL FROM:<a@outside.example>')).toMatch(/^250 /);
    wire.close();
  });

  it('bounces a recipient that message.deliver rejects after the message was accepted', async () => {
    const before = (await store.messages('ann@lim.example')).length;
    // The report goes to the envelope sender; the From header is an outside one, as a local From needs authentication.
    await send(['team@lim.example'], rawMessage('news@outside.example', 'team@lim.example', 'Please REFUSE', 'x\r\n'), 'ann@lim.example');
    const inbox = await store.messages('ann@lim.example');
    // Ann's own copy through the list, then the report about Bob's.
    expect(inbox).toHaveLength(before + 2);
    const report = inbox.map((message) => message.raw.toString()).find((text) => text.includes('multipart/report'))!;
    expect(report).toContain('Final-Recipient: rfc822; bob@lim.example\r\nAction: failed\r\nStatus: 5.7.1\r\n');
    expect(report).toContain('Diagnostic-Code: smtp; 550 5.7.1 bob refuses this');
  });

  it('runs message.send before queueing a submission for remote recipients', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'ann@lim.example', pass: 'secret123' },
      tls: { rejectUnauthorized: false },
    });
    await expect(transport.sendMail({ from: 'ann@lim.example', to: 'x@embargo.example', subject: 'out', text: 'x' })).rejects.toMatchObject(
      { responseCode: 550, response: '550 5.7.1 destination embargoed' },
    );
    expect((await server.cli('queue', 'list')).stdout).toBe('');
  });

  it('stops within 10 s with a session open, telling it 421', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    await wire.command('EHLO client.example');
    const started = Date.now();
    expect(await server.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const last = await wire.reply();
    expect(last === null || /^421 /.test(last)).toBe(true);
  });
});
