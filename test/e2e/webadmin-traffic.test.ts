import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { RecordingMx } from '../support/recording-mx.js';
import { errorCode, graphqlClient, smtpDeliver, type GraphqlResult } from './graphql-helpers.js';

const PASSWORD = 'secret-pass-1';
const POINT = 'received sent refused bounced logins failedLogins';

describe('WebAdmin dashboard, outbound queue and message trace after real SMTP traffic', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let root: string;
  let boss: string;
  const remoteMx = new RecordingMx();

  const total = (points: Record<string, number>[], key: string): number => points.reduce((sum, point) => sum + point[key]!, 0);

  const dashboard = async (): Promise<Record<string, any>> => {
    const result = await gql(
      `{ adminDashboard { hourly { at ${POINT} } daily { at ${POINT} } queueSize storage { domain users usedBytes }
      topSenders { address messages } topReceivers { address messages } } }`,
      {},
      root,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.adminDashboard;
  };

  beforeAll(async () => {
    const mxPort = await remoteMx.listen();
    const dir = mkdtempSync(join(tmpdir(), 'mailhive-webadmin-traffic-'));
    // remote.test's MX takes everything; slow.test's MX is an address where nothing listens, so its mail stays queued.
    writeFileSync(
      join(dir, 'dns.json'),
      JSON.stringify({
        'remote.test': { MX: [{ exchange: 'mx.remote.test', priority: 10 }] },
        'mx.remote.test': { A: ['127.0.0.1'] },
        'slow.test': { MX: [{ exchange: 'mx.slow.test', priority: 10 }] },
        'mx.slow.test': { A: ['127.0.0.2'] },
      }),
    );
    server = await MailhiveProcess.create({
      MAILHIVE_DNS_FIXTURES: join(dir, 'dns.json'),
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
    });
    expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
    expect((await server.cli('domain', 'add', 'b.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    for (const user of ['ann@a.example', 'bob@a.example', 'cy@b.example'])
      expect((await server.cli('user', 'add', user, '--password', PASSWORD)).code).toBe(0);
    expect(
      (await server.cli('user', 'add', 'boss@a.example', '--password', PASSWORD, '--role', 'domain-admin', '--domains', 'a.example')).code,
    ).toBe(0);
    await server.start();
    gql = graphqlClient(server);
    root = (await gql(`mutation { adminLogin(email: "root@a.example", password: "${PASSWORD}") { token } }`)).data?.adminLogin
      ?.token as string;
    boss = (await gql(`mutation { adminLogin(email: "boss@a.example", password: "${PASSWORD}") { token } }`)).data?.adminLogin
      ?.token as string;

    // Port 25: four messages in, one recipient refused.
    await smtpDeliver(server, [
      ...[1, 2, 3].map((n) => ({ from: 'x@outside.example', to: 'ann@a.example', subject: `Report ${n}` })),
      { from: 'x@outside.example', to: 'bob@a.example', subject: 'Hello Bob' },
    ]);
    await expect(smtpDeliver(server, [{ from: 'x@outside.example', to: 'ghost@a.example', subject: 'Nobody' }])).rejects.toThrow(/550/);
    // Submission: one message relayed, one that stays queued.
    const submission = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'ann@a.example', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
    });
    await submission.sendMail({
      from: 'ann@a.example',
      to: 'carol@remote.test',
      subject: 'Outward',
      text: 'hi',
      messageId: '<outward-1@a.example>',
    });
    await submission.sendMail({
      from: 'ann@a.example',
      to: 'dave@slow.test',
      subject: 'Stuck',
      text: 'hi',
      messageId: '<stuck-1@a.example>',
    });
    submission.close();
    // Two failed logins.
    for (let attempt = 0; attempt < 2; attempt++)
      expect(errorCode(await gql(`mutation { login(email: "bob@a.example", password: "wrong-pass-1") { token } }`))).toBe(
        'INVALID_CREDENTIALS',
      );
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
    await remoteMx.close();
  });

  it('counts received, sent, refused and logins per hour and day, with queue, storage and top addresses', async () => {
    await expect.poll(async () => total((await dashboard()).hourly, 'sent'), { timeout: 30_000, interval: 500 }).toBe(1);
    const data = await dashboard();
    expect(data.hourly).toHaveLength(24);
    expect(data.daily).toHaveLength(30);
    for (const series of [data.hourly, data.daily]) {
      expect(total(series, 'received')).toBe(6);
      expect(total(series, 'refused')).toBe(1);
      expect(total(series, 'sent')).toBe(1);
      expect(total(series, 'failedLogins')).toBe(2);
      // root and boss over GraphQL, ann twice over submission.
      expect(total(series, 'logins')).toBe(4);
    }
    expect(data.hourly[23].received).toBe(6);
    expect(data.queueSize).toBe(1);
    expect(data.topSenders).toEqual([
      { address: 'x@outside.example', messages: 4 },
      { address: 'ann@a.example', messages: 2 },
    ]);
    expect(data.topReceivers[0]).toEqual({ address: 'ann@a.example', messages: 3 });
    expect(data.topReceivers).toContainEqual({ address: 'carol@remote.test', messages: 1 });
    const storage = Object.fromEntries(
      (data.storage as { domain: string; users: number; usedBytes: number }[]).map((row) => [row.domain, row]),
    );
    expect(storage['a.example']).toMatchObject({ users: 4 });
    expect(storage['a.example'].usedBytes).toBeGreaterThan(0);
    expect(storage['b.example']).toEqual({ domain: 'b.example', users: 1, usedBytes: 0 });
  });

  it('shows the dashboard to system admins only', async () => {
    const refused = await gql('{ adminDashboard { queueSize } }', {}, boss);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.data ?? null).toBeNull();
  });

  const trace = async (
    filter: Record<string, string>,
  ): Promise<{ event: string; sender: string; recipient: string; messageId: string; subject: string; detail: string }[]> => {
    const result = await gql(
      'query($f: AdminTraceFilter!) { adminMessageTrace(filter: $f) { at event sender recipient messageId subject detail } }',
      { f: filter },
      root,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.adminMessageTrace;
  };

  it('traces a message by recipient, Message-ID, sender and subject: delivered, queued, relayed, refused', async () => {
    await expect
      .poll(async () => (await trace({ recipient: 'carol@remote.test' })).map((row) => row.event), { timeout: 30_000, interval: 500 })
      .toEqual(['relayed', 'queued']);
    const [relayed, queued] = await trace({ recipient: 'CAROL@remote.test' });
    expect(queued).toMatchObject({ sender: 'ann@a.example', subject: 'Outward', detail: 'via submission' });
    expect(relayed!.messageId).toBe(queued!.messageId);
    expect(relayed!.messageId).toContain('outward-1@a.example');
    expect(relayed!.detail).toMatch(/^queue #\d+: 250/);
    expect((await trace({ messageId: queued!.messageId })).map((row) => row.recipient)).toEqual(['carol@remote.test', 'carol@remote.test']);

    const refused = await trace({ recipient: 'ghost@a.example' });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ event: 'refused', sender: 'x@outside.example' });
    expect(refused[0]!.detail).toMatch(/^550 /);

    const reports = await trace({ sender: 'x@outside.example', subject: 'Report' });
    expect(reports.map((row) => `${row.event} ${row.recipient} ${row.subject}`).sort()).toEqual([
      'delivered ann@a.example Report 1',
      'delivered ann@a.example Report 2',
      'delivered ann@a.example Report 3',
    ]);
    expect(await trace({ subject: '%' })).toEqual([]);
  });

  it('lists the outbound queue with filters and details, retries, deletes and bounces, each in the audit log', async () => {
    const queue = async (filter: Record<string, unknown> = {}) => {
      const result = await gql(
        'query($f: AdminQueueFilter) { adminQueue(filter: $f) { id sender recipients domain attempts lastError nextAttemptAt } }',
        { f: filter },
        root,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.adminQueue as { id: number; sender: string; recipients: string[]; attempts: number; lastError: string | null }[];
    };
    await expect.poll(async () => (await queue({ failing: true })).length, { timeout: 30_000, interval: 500 }).toBe(1);
    const [stuck] = await queue({ recipient: 'slow' });
    expect(stuck).toMatchObject({ sender: 'ann@a.example', recipients: ['dave@slow.test'], domain: 'slow.test' });
    expect(stuck!.attempts).toBeGreaterThanOrEqual(1);
    expect(stuck!.lastError).toBeTruthy();
    expect(await queue({ sender: 'nobody' })).toEqual([]);
    const detail = await gql('query($id: Int!) { adminQueuedMessage(id: $id) { message { id } headers } }', { id: stuck!.id }, root);
    expect(detail.data?.adminQueuedMessage.headers).toContain('Subject: Stuck');
    expect(errorCode(await gql('{ adminQueuedMessage(id: 999999) { headers } }', {}, root))).toBe('NOT_FOUND');

    expect((await gql(`mutation { adminRetryQueued(id: ${stuck!.id}) }`, {}, root)).data?.adminRetryQueued).toBe(true);

    const submission = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'bob@a.example', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
    });
    await submission.sendMail({ from: 'bob@a.example', to: 'erin@slow.test', subject: 'Also stuck', text: 'hi' });
    submission.close();
    const second = (await queue({ sender: 'bob@' }))[0]!;
    expect((await gql(`mutation { adminDeleteQueued(id: ${second.id}) }`, {}, root)).data?.adminDeleteQueued).toBe(true);
    expect(await queue({ sender: 'bob@' })).toEqual([]);

    expect((await gql(`mutation { adminBounceQueued(id: ${stuck!.id}) }`, {}, root)).data?.adminBounceQueued).toBe(true);
    expect(await queue()).toEqual([]);
    await expect.poll(async () => (await trace({ recipient: 'dave@slow.test' }))[0]?.event, { timeout: 10_000 }).toBe('bounced');
    // The sender has the failure report in its INBOX.
    await expect
      .poll(
        async () => (await trace({ recipient: 'ann@a.example' })).filter((row) => row.detail === 'via bounce' && row.sender === '').length,
      )
      .toBe(1);
    const audit = await gql('{ auditLog(filter: { action: "queue" }) { entries { action target } } }', {}, root);
    expect(audit.data?.auditLog.entries).toEqual([
      { action: 'queue.bounce', target: `#${stuck!.id}` },
      { action: 'queue.delete', target: `#${second.id}` },
      { action: 'queue.retry', target: `#${stuck!.id}` },
    ]);
  });

  it('keeps the queue and the trace from domain admins, whether or not the id exists', async () => {
    for (const query of [
      '{ adminQueue { id } }',
      '{ adminQueuedMessage(id: 1) { headers } }',
      '{ adminQueuedMessage(id: 999999) { headers } }',
      'mutation { adminRetryQueued(id: 999999) }',
      'mutation { adminDeleteQueued(id: 1) }',
      'mutation { adminBounceQueued(id: 1) }',
      '{ adminMessageTrace(filter: { recipient: "ann@a.example" }) { event } }',
    ]) {
      const refused = await gql(query, {}, boss);
      expect(refused.errors?.[0]).toMatchObject({ message: 'not allowed', extensions: { code: 'FORBIDDEN' } });
      expect(refused.data ?? null).toBeNull();
    }
  });
});
