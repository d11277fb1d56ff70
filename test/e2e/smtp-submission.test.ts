import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, SmtpWire, splitTrace, StoreView } from './smtp-helpers.js';
import { eventually } from '../support/poll.js';

describe('SMTP submission (587 STARTTLS, 465 implicit TLS)', () => {
  let server: MailhiveProcess;
  let store: StoreView;

  const submission = (user: string, pass: string, options: { port?: 'submission' | 'smtps' } = {}) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports[options.port ?? 'submission'],
      secure: options.port === 'smtps',
      requireTLS: options.port !== 'smtps',
      auth: { user, pass },
      tls: { rejectUnauthorized: false },
    });

  beforeAll(async () => {
    // Remote domains point at a loopback port nobody listens on: deliveries are deferred and stay queued.
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    const mx = { MX: [{ exchange: 'mx.far.example', priority: 10 }] };
    writeFileSync(fixtures, JSON.stringify({ 'far.example': mx, 'other.example': mx, 'mx.far.example': { A: ['127.0.0.1'] } }));
    // Outbound mail finds nothing listening there and stays queued.
    const refusingPort = await closedPort();
    server = await MailhiveProcess.create({
      MAILHIVE_SMTP_SEND_RATE_LIMIT: '8',
      MAILHIVE_DNS_FIXTURES: fixtures,
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(refusingPort),
      MAILHIVE_OUTBOUND_RETRY_SECONDS: '3600',
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'sub.example')).code).toBe(0);
    for (const user of ['ann', 'bob', 'rate', 'lock'])
      expect((await server.cli('user', 'add', `${user}@sub.example`, '--password', 'secret123')).code).toBe(0);
    expect((await server.cli('alias', 'add', 'sales@sub.example', 'ann@sub.example')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('refuses AUTH before STARTTLS and accepts it after', async () => {
    const wire = await SmtpWire.open(server.ports.submission);
    expect(await wire.command('EHLO client.example')).toMatch(/^250-STARTTLS$/m);
    expect(await wire.command(`AUTH PLAIN ${Buffer.from('\0ann@sub.example\0secret123').toString('base64')}`)).toMatch(/^538 5\.7\.0 /);
    expect(await wire.command('MAIL FROM:<ann@sub.example>')).toMatch(/^530 5\.7\.0 /);
    expect(await wire.command('STARTTLS')).toMatch(/^220/);
    await wire.upgrade();
    expect(await wire.command('EHLO client.example')).toMatch(/^250-AUTH PLAIN LOGIN$/m);
    expect(await wire.command(`AUTH PLAIN ${Buffer.from('\0ann@sub.example\0secret123').toString('base64')}`)).toMatch(/^235 2\.7\.0 /);
    expect(await wire.command('MAIL FROM:<ann@sub.example>')).toMatch(/^250/);
    wire.close();
  });

  it('delivers a submitted message to a local user with STARTTLS + AUTH LOGIN on 587', async () => {
    const raw = rawMessage('ann@sub.example', 'bob@sub.example', 'Submitted', 'Hi Bob\r\n');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'ann@sub.example', pass: 'secret123', method: 'LOGIN' },
      tls: { rejectUnauthorized: false },
    });
    const info = await transport.sendMail({ envelope: { from: 'ann@sub.example', to: ['bob@sub.example'] }, raw });
    expect(info.response).toMatch(/^250 2\.6\.0 /);
    const [stored] = await store.messages('bob@sub.example');
    const { trace, rest } = splitTrace(stored!.raw, raw);
    expect(rest.equals(raw)).toBe(true);
    expect(trace).toMatch(/^Received: from \S+ \(.*\[127\.0\.0\.1\]\)\r\n\tby mail\.test\.example \(Mailhive\) with ESMTPSA id /);
    expect(trace).not.toMatch(/Authentication-Results/);
    expect(trace).not.toMatch(/^(Date|Message-ID):/m);
  });

  it('adds the Date and Message-ID a submitted message lacks (RFC 6409 §8)', async () => {
    const raw = Buffer.from('From: <ann@sub.example>\r\nTo: <bob@sub.example>\r\nSubject: Bare\r\n\r\nNo date, no id\r\n');
    await submission('ann@sub.example', 'secret123').sendMail({ envelope: { from: 'ann@sub.example', to: ['bob@sub.example'] }, raw });
    const stored = (await store.messages('bob@sub.example')).at(-1)!;
    const { trace, rest } = splitTrace(stored.raw, raw);
    expect(rest.equals(raw)).toBe(true);
    expect(trace).toMatch(
      /^Received: [\s\S]+\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\nMessage-ID: <[0-9a-f]{32}@mail\.test\.example>\r\n$/,
    );
  });

  it('delivers over implicit TLS on 465 and lets a user send as an alias', async () => {
    const info = await submission('ann@sub.example', 'secret123', { port: 'smtps' }).sendMail({
      from: 'Sales <sales@sub.example>',
      to: 'bob@sub.example',
      subject: 'From the alias',
      text: 'Offer',
    });
    expect(info.accepted).toEqual(['bob@sub.example']);
    expect((await store.messages('bob@sub.example')).at(-1)!.raw.toString()).toContain('Subject: From the alias');
  });

  it('refuses a wrong password with 535 5.7.8', async () => {
    await expect(
      submission('ann@sub.example', 'wrong-password').sendMail({ from: 'ann@sub.example', to: 'bob@sub.example', text: 'x' }),
    ).rejects.toMatchObject({ code: 'EAUTH', response: expect.stringMatching(/^535 5\.7\.8 /) });
  });

  it('locks an account out after repeated failures, through the shared AuthService (454 4.7.0)', async () => {
    const wire = await SmtpWire.open(server.ports.smtps, true);
    await wire.command('EHLO client.example');
    const plain = (password: string) => `AUTH PLAIN ${Buffer.from(`\0lock@sub.example\0${password}`).toString('base64')}`;
    for (let i = 0; i < 5; i++) expect(await wire.command(plain('wrong-password'))).toMatch(/^535 5\.7\.8 /);
    expect(await wire.command(plain('secret123'))).toMatch(/^454 4\.7\.0 /);
    wire.close();
  });

  it('refuses a forged envelope sender or From header with 553 5.7.1', async () => {
    const transport = submission('bob@sub.example', 'secret123');
    await expect(
      transport.sendMail({
        envelope: { from: 'ann@sub.example', to: ['ann@sub.example'] },
        raw: rawMessage('bob@sub.example', 'ann@sub.example', 'x', 'x\r\n'),
      }),
    ).rejects.toMatchObject({ responseCode: 553, response: expect.stringMatching(/^553 5\.7\.1 Sender address not owned/) });
    await expect(
      transport.sendMail({
        envelope: { from: 'bob@sub.example', to: ['ann@sub.example'] },
        raw: rawMessage('ceo@sub.example', 'ann@sub.example', 'x', 'x\r\n'),
      }),
    ).rejects.toMatchObject({ responseCode: 553, response: expect.stringMatching(/^553 5\.7\.1 From header not owned/) });
    await expect(transport.sendMail({ from: 'sales@sub.example', to: 'ann@sub.example', text: 'not my alias' })).rejects.toMatchObject({
      responseCode: 553,
    });
  });

  it('queues remote recipients in the outbound queue before answering 250', async () => {
    const info = await submission('ann@sub.example', 'secret123').sendMail({
      envelope: { from: 'ann@sub.example', to: ['bob@sub.example', 'x@far.example', 'y@far.example', 'z@other.example'] },
      raw: rawMessage('ann@sub.example', 'x@far.example', 'Out', 'Out\r\n'),
    });
    expect(info.accepted).toHaveLength(4);
    type Queued = { id: number; status: string; sender: string; recipients: string[]; attempts: number; lastError: string | null };
    const queue = async (): Promise<Queued[]> => JSON.parse((await server.cli('queue', 'list', '--json')).stdout) as Queued[];
    // The worker tries at once (connection refused) and schedules a retry.
    const tried = await eventually(queue, (rows) => rows.length === 2 && rows.every((row) => row.attempts === 1));
    expect(tried.map((row) => row.recipients.join(',')).sort()).toEqual(['x@far.example,y@far.example', 'z@other.example']);
    expect(
      tried.every((row) => row.sender === 'ann@sub.example' && row.status === 'queued' && /ECONNREFUSED/.test(row.lastError ?? '')),
    ).toBe(true);
    const id = String(tried.find((row) => row.recipients[0] === 'z@other.example')!.id);
    // An operator retry makes the running worker try again at its next poll.
    expect((await server.cli('queue', 'retry', id)).stdout).toBe(`message ${id} will be retried now\n`);
    await eventually(queue, (rows) => rows.find((row) => String(row.id) === id)?.attempts === 2);
    expect((await server.cli('queue', 'delete', id)).stdout).toBe(`message ${id} deleted from the queue\n`);
    expect((await server.cli('queue', 'delete', id)).code).toBe(1);
  });

  it('limits the sending rate per user with 450 4.7.1', async () => {
    const transport = submission('rate@sub.example', 'secret123');
    const results: string[] = [];
    for (let i = 0; i < 9; i++) {
      try {
        await transport.sendMail({ from: 'rate@sub.example', to: 'bob@sub.example', subject: `n${i}`, text: 'x' });
        results.push('ok');
      } catch (error) {
        results.push((error as { response: string }).response);
      }
    }
    expect(results.slice(0, 8)).toEqual(Array(8).fill('ok'));
    expect(results[8]).toMatch(/^450 4\.7\.1 /);
    // Counted in the store, not in the process: a restarted server (or another node) still refuses.
    await server.stop();
    await server.start();
    await expect(
      submission('rate@sub.example', 'secret123').sendMail({
        from: 'rate@sub.example',
        to: 'bob@sub.example',
        subject: 'again',
        text: 'x',
      }),
    ).rejects.toMatchObject({ response: expect.stringMatching(/^450 4\.7\.1 /) });
  });

  it('works with Python smtplib: AUTH not offered before STARTTLS, so no password leaves in plaintext; accepted after', async () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'python', 'smtp_submit.py');
    const { stdout } = await promisify(execFile)('python3', [
      script,
      String(server.ports.submission),
      'bob@sub.example',
      'secret123',
      'ann@sub.example',
    ]);
    expect(stdout.trim().split('\n')).toEqual(['plaintext login not offered', 'login 235', 'sent']);
    expect((await store.messages('ann@sub.example')).at(-1)!.raw.toString()).toContain('Subject: submitted by smtplib');
  });

  it('prints the DKIM TXT record of a domain', async () => {
    const result = await server.cli('domain', 'dkim', 'sub.example');
    expect(result.stdout).toMatch(/^mailhive\._domainkey\.sub\.example\. IN TXT "v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+/);
  });
});

/** Reads `read` until `done` holds of what it returns, for at most ten seconds. */
