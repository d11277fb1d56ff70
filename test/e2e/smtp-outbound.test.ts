import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenTlsFront } from '../support/broken-tls-front.js';
import { listenOnFreePort, MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, StoreView } from './smtp-helpers.js';

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
}

/** A second SMTP server on loopback acting as the remote MX of remote.test. */
class RemoteMx {
  readonly received: Received[] = [];
  private readonly attempts = new Map<string, number>();
  readonly server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const seen = (this.attempts.get(address.address) ?? 0) + 1;
        this.attempts.set(address.address, seen);
        if (address.address.startsWith('gone@'))
          return callback(Object.assign(new Error('5.1.1 no such user here'), { responseCode: 550 }));
        if (address.address.startsWith('flaky@') && seen === 1)
          return callback(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 }));
        if (address.address.startsWith('stuck@')) return callback(Object.assign(new Error('4.2.1 mailbox busy'), { responseCode: 450 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks),
            secure: session.secure,
          });
          callback();
        });
      },
    });
  }

  attemptsOf(address: string): number {
    return this.attempts.get(address) ?? 0;
  }

  async waitFor(predicate: (message: Received) => boolean, timeoutMs = 15_000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('the remote MX received no such message');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('SMTP outbound delivery', () => {
  let server: MailhiveProcess;
  let store: StoreView;
  const remote = new RemoteMx();
  let brokenTls: Server;

  const submit = (to: string[], subject: string) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.submission,
        secure: false,
        requireTLS: true,
        auth: { user: 'ann@out.test', pass: 'secret123' },
        tls: { rejectUnauthorized: false },
      })
      .sendMail({ envelope: { from: 'ann@out.test', to }, raw: rawMessage('ann@out.test', to[0]!, subject, `${subject}\r\n`) });

  beforeAll(async () => {
    const mxPort = await listenOnFreePort(remote.server.server);
    // The MX of badtls.test, on another loopback address as every MX is reached on the same port.
    brokenTls = brokenTlsFront(mxPort);
    await new Promise<void>((resolve) => brokenTls.listen(mxPort, '127.0.0.2', resolve));
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        'remote.test': { MX: [{ exchange: 'mx.remote.test', priority: 10 }] },
        'mx.remote.test': { A: ['127.0.0.1'] },
        // No MX: delivery falls back to the domain's own address (RFC 5321 §5.1).
        'a-only.test': { A: ['127.0.0.1'] },
        'nullmx.test': { MX: [{ exchange: '', priority: 0 }] },
        'badtls.test': { MX: [{ exchange: 'mx.badtls.test', priority: 10 }] },
        'mx.badtls.test': { A: ['127.0.0.2'] },
      }),
    );
    server = await MailhiveProcess.create({
      MAILHIVE_DNS_FIXTURES: fixtures,
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
      MAILHIVE_OUTBOUND_RETRY_SECONDS: '1',
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
      MAILHIVE_OUTBOUND_LIFETIME_SECONDS: '4',
      // The message event lines are at info.
      MAILHIVE_LOG_LEVEL: 'info',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'out.test')).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@out.test', '--password', 'secret123')).code).toBe(0);
    expect((await server.cli('alias', 'add', 'fwd@out.test', 'gone@remote.test')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
    await new Promise<void>((resolve) => remote.server.close(() => resolve()));
    await new Promise<void>((resolve) => brokenTls.close(() => resolve()));
  });

  it('delivers to the remote MX over STARTTLS with a DKIM signature that verifies', async () => {
    await submit(['bob@remote.test', 'carol@remote.test'], 'Outbound one');
    const message = await remote.waitFor((item) => item.raw.includes('Subject: Outbound one'));
    // Recipients of one domain share one transaction.
    expect(message.to).toEqual(['bob@remote.test', 'carol@remote.test']);
    expect(message.from).toBe('ann@out.test');
    expect(message.secure).toBe(true);
    expect(message.raw.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=out\.test;\r\n[\s\S]*\bs=mailhive;/);

    const record = (await server.cli('domain', 'dkim', 'out.test')).stdout;
    const txt = [...record.matchAll(/"([^"]*)"/g)].map((match) => match[1]).join('');
    const verified = await dkimVerify(message.raw, {
      resolver: async (name: string, type: string) => {
        if (name === 'mailhive._domainkey.out.test' && type === 'TXT') return [[txt]];
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    expect(verified.results[0]!.status.result).toBe('pass');
  });

  it('logs one Postfix-style line per message event, traceable from intake to relay by the queue id of the reply', async () => {
    const info = await submit(['erin@remote.test'], 'Traced one');
    const queueId = /queued as ([0-9a-f]{16})/.exec(info.response)![1]!;
    await remote.waitFor((item) => item.raw.includes('Subject: Traced one'));
    const lines = async (): Promise<string[]> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = server
          .logs()
          .split('\n')
          .filter((line) => line.includes(`"msg":"${queueId}: `))
          .map((line) => (JSON.parse(line) as { msg: string }).msg);
        if (found.some((line) => line.includes('status=sent')) || Date.now() > deadline) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const [accepted, sent] = await lines();
    expect(accepted).toMatch(
      new RegExp(
        `^${queueId}: from=<ann@out\\.test>, to=<erin@remote\\.test>, size=\\d+, msgid=<[^>]+>, client=127\\.0\\.0\\.1, delay=[\\d.]+, status=accepted \\(stored 0, queued 1\\)$`,
      ),
    );
    expect(sent).toMatch(
      new RegExp(
        `^${queueId}: from=<ann@out\\.test>, to=<erin@remote\\.test>, msgid=<[^>]+>, relay=mx\\.remote\\.test, delay=[\\d.]+, status=sent \\(250 `,
      ),
    );
  });

  it('falls back to the A record of a domain without MX', async () => {
    await submit(['dave@a-only.test'], 'No MX');
    const message = await remote.waitFor((item) => item.raw.includes('Subject: No MX'));
    expect(message.to).toEqual(['dave@a-only.test']);
  });

  it('delivers in plaintext to an MX whose STARTTLS handshake fails', async () => {
    await submit(['erin@badtls.test'], 'Broken TLS');
    const message = await remote.waitFor((item) => item.raw.includes('Subject: Broken TLS'));
    expect(message.to).toEqual(['erin@badtls.test']);
    expect(message.secure).toBe(false);
  });

  it('retries a temporary failure with back-off until it is delivered', async () => {
    await submit(['flaky@remote.test'], 'Flaky');
    const message = await remote.waitFor((item) => item.raw.includes('Subject: Flaky'));
    expect(message.to).toEqual(['flaky@remote.test']);
    expect(remote.attemptsOf('flaky@remote.test')).toBe(2);
  });

  it('bounces a permanent failure with an RFC 3464 report in the sender INBOX', async () => {
    const before = (await store.messages('ann@out.test')).length;
    await submit(['gone@remote.test', 'erin@remote.test'], 'Partly wrong');
    await remote.waitFor((item) => item.raw.includes('Subject: Partly wrong'));
    const inbox = await store.waitFor('ann@out.test', before + 1);
    expect(inbox).toHaveLength(before + 1);
    const bounce = inbox.at(-1)!.raw.toString();
    expect(bounce).toMatch(/^Content-Type: multipart\/report; report-type=delivery-status;/m);
    expect(bounce).toContain(
      'Final-Recipient: rfc822; gone@remote.test\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.remote.test\r\n',
    );
    expect(bounce).toContain('Subject: Partly wrong');
    expect(bounce).not.toContain('erin@remote.test>:');
    // The accepted recipient went through; the row is gone from the queue.
    expect(remote.received.find((item) => item.raw.includes('Subject: Partly wrong'))!.to).toEqual(['erin@remote.test']);
    expect((await server.cli('queue', 'list')).stdout).toBe('');
  });

  it('bounces at once for a domain with a null MX (RFC 7505) or no mail server at all', async () => {
    const before = (await store.messages('ann@out.test')).length;
    await submit(['x@nullmx.test', 'y@nowhere.test'], 'Nowhere');
    const inbox = await store.waitFor('ann@out.test', before + 2);
    const reports = inbox
      .slice(before)
      .map((message) => message.raw.toString())
      .join('\n');
    expect(reports).toContain('Final-Recipient: rfc822; x@nullmx.test\r\nAction: failed\r\nStatus: 5.1.10\r\n');
    expect(reports).toContain('Final-Recipient: rfc822; y@nowhere.test\r\nAction: failed\r\nStatus: 5.1.2\r\n');
  });

  it('bounces a message still undelivered when its lifetime runs out (4.4.7)', async () => {
    const before = (await store.messages('ann@out.test')).length;
    await submit(['stuck@remote.test'], 'Stuck');
    const inbox = await store.waitFor('ann@out.test', before + 1, 20_000);
    const bounce = inbox.at(-1)!.raw.toString();
    expect(bounce).toContain('Final-Recipient: rfc822; stuck@remote.test\r\nAction: failed\r\nStatus: 4.4.7\r\n');
    expect(bounce).toContain('Diagnostic-Code: smtp; 450 4.2.1 mailbox busy');
    expect(remote.attemptsOf('stuck@remote.test')).toBeGreaterThanOrEqual(3);
  });

  const mxSend = (from: string, subject: string) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.smtp,
        secure: false,
        tls: { rejectUnauthorized: false },
      })
      .sendMail({
        envelope: { from, to: ['fwd@out.test'] },
        raw: rawMessage(from || 'daemon@remote.test', 'fwd@out.test', subject, 'x\r\n'),
      });

  it('bounces to a remote sender with a null envelope sender', async () => {
    await mxSend('someone@remote.test', 'Forwarded');
    const dsn = await remote.waitFor((item) => item.to.includes('someone@remote.test'));
    expect(dsn.from).toBe('');
    expect(dsn.raw.toString()).toContain('Final-Recipient: rfc822; gone@remote.test');
    expect(dsn.raw.toString()).toContain('Subject: Forwarded');
  });

  it('sends no bounce for a message with a null sender', async () => {
    const attempts = remote.attemptsOf('gone@remote.test');
    await mxSend('', 'Null sender');
    const deadline = Date.now() + 10_000;
    while (remote.attemptsOf('gone@remote.test') === attempts && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(remote.attemptsOf('gone@remote.test')).toBe(attempts + 1);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(remote.received.some((item) => item.raw.includes('Subject: Null sender'))).toBe(false);
    expect((await server.cli('queue', 'list')).stdout).toBe('');
  });
});

describe('SMTP outbound through a relay host with authentication', () => {
  let server: MailhiveProcess;
  const relayed: { user: string; to: string[]; raw: string }[] = [];
  const relay = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth: (auth, _session, callback) =>
      auth.username === 'relayuser' && auth.password === 'relay pass'
        ? callback(null, { user: auth.username })
        : callback(new Error('bad credentials')),
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        relayed.push({
          user: String(session.user),
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString(),
        });
        callback();
      });
    },
  });

  beforeAll(async () => {
    const relayPort = await listenOnFreePort(relay.server);
    // No DNS fixtures for the destination: with a relay host, no MX lookup happens at all.
    server = await MailhiveProcess.create({
      MAILHIVE_RELAY_HOST: `smtp://relayuser:relay%20pass@127.0.0.1:${relayPort}`,
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'relay.test')).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@relay.test', '--password', 'secret123')).code).toBe(0);
  });

  afterAll(async () => {
    await server?.destroy();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });

  it('hands remote mail to MAILHIVE_RELAY_HOST after logging in', async () => {
    await nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.submission,
        secure: false,
        requireTLS: true,
        auth: { user: 'ann@relay.test', pass: 'secret123' },
        tls: { rejectUnauthorized: false },
      })
      .sendMail({ from: 'ann@relay.test', to: 'someone@nowhere.invalid', subject: 'Via relay', text: 'x' });
    const deadline = Date.now() + 15_000;
    while (relayed.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(relayed).toHaveLength(1);
    expect(relayed[0]).toMatchObject({ user: 'relayuser', to: ['someone@nowhere.invalid'] });
    expect(relayed[0]!.raw).toMatch(/^DKIM-Signature: [\s\S]*\r\nSubject: Via relay\r\n/);
  });
});
