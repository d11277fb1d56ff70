import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort, MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, smtpTransaction, StoreView } from './smtp-helpers.js';

/**
 * The local copies of a message and the outbound rows of its remote recipients commit in one transaction: when
 * no local copy can be stored (every local recipient went over quota between RCPT and DATA) the whole message
 * is refused, and no queue row survives to deliver it a second time when the client retries.
 */
describe('SMTP delivery of local and remote recipients in one transaction', () => {
  let server: MailhiveProcess;
  let store: StoreView;
  const received: string[] = [];
  const mx = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString());
        callback();
      });
    },
  });
  const send = (subject: string, local: string) =>
    smtpTransaction(server.ports.submission, {
      login: { user: 'ann@atomic.test', pass: 'secret123' },
      // No SIZE= on MAIL: RCPT cannot see that the message will not fit, so the quota is only hit at DATA.
      mail: '<ann@atomic.test>',
      rcpts: [`<${local}>`, '<bob@remote.test>'],
      message: rawMessage('ann@atomic.test', local, subject, `${'x'.repeat(76)}\r\n`.repeat(100)),
    });

  beforeAll(async () => {
    const mxPort = await listenOnFreePort(mx.server);
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({ 'remote.test': { MX: [{ exchange: 'mx.remote.test', priority: 10 }] }, 'mx.remote.test': { A: ['127.0.0.1'] } }),
    );
    server = await MailhiveProcess.create({
      MAILHIVE_DNS_FIXTURES: fixtures,
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'atomic.test')).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@atomic.test', '--password', 'secret123')).code).toBe(0);
    expect((await server.cli('user', 'add', 'tiny@atomic.test', '--password', 'secret123', '--quota', '1K')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
    await new Promise<void>((resolve) => mx.close(() => resolve()));
  });

  it('refuses the message and leaves no outbound row when every local recipient is over quota at DATA', async () => {
    const refused = await send('Too big for tiny', 'tiny@atomic.test');
    expect(refused.rcpts.every((reply) => reply.startsWith('250'))).toBe(true);
    expect(refused.data).toMatch(/^452 4\.2\.2 /);
    expect((await server.cli('queue', 'list')).stdout).toBe('');
    expect(await store.messages('tiny@atomic.test')).toEqual([]);

    // The same message with a local recipient that has room goes through, to the remote MX as well.
    const accepted = await send('Fits for ann', 'ann@atomic.test');
    expect(accepted.data).toMatch(/^250 /);
    const deadline = Date.now() + 15_000;
    while (!received.some((raw) => raw.includes('Subject: Fits for ann')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.some((raw) => raw.includes('Subject: Fits for ann'))).toBe(true);
    // The worker has had time to deliver a queue row of the refused message, had one been committed.
    expect(received.some((raw) => raw.includes('Subject: Too big for tiny'))).toBe(false);
    expect((await server.cli('queue', 'list')).stdout).toBe('');
  });
});
