import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { RecordingMx } from '../support/recording-mx.js';
import { graphqlClient, login } from './graphql-helpers.js';

/**
 * The outbound worker is a background job of the application, not of the SMTP server: with every SMTP port off,
 * a message sent over GraphQL still leaves for the remote MX.
 */
describe('outbound delivery without SMTP listeners', () => {
  let server: MailhiveProcess;
  const remoteMx = new RecordingMx();
  const received = remoteMx.received;

  beforeAll(async () => {
    const mxPort = await remoteMx.listen();
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({ 'remote.test': { MX: [{ exchange: 'mx.remote.test', priority: 10 }] }, 'mx.remote.test': { A: ['127.0.0.1'] } }),
    );
    server = await MailhiveProcess.create({
      MAILHIVE_SMTP_PORT: 'off',
      MAILHIVE_SUBMISSION_PORT: 'off',
      MAILHIVE_SMTPS_PORT: 'off',
      MAILHIVE_DNS_FIXTURES: fixtures,
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'quiet.test')).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@quiet.test', '--password', 'secret123')).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await server?.destroy();
    await remoteMx.close();
  });

  it('delivers a message sent over GraphQL to the remote MX', async () => {
    // ports.json leaves out a port set to off: no SMTP listener is open.
    const bound = JSON.parse(readFileSync(join(server.dataDir, 'ports.json'), 'utf8')) as Record<string, number>;
    expect(Object.keys(bound).filter((name) => ['smtp', 'submission', 'smtps'].includes(name))).toEqual([]);
    const token = await login(server, 'ann@quiet.test', 'secret123');
    const result = await graphqlClient(server)(
      'mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }',
      {
        i: { to: [{ address: 'bob@remote.test' }], subject: 'Leaves without SMTP', text: 'x' },
      },
      token,
    );
    expect(result.errors).toBeUndefined();
    // The enqueue wakes the worker at once, so the delivery need not wait for the next poll.
    const deadline = Date.now() + 15_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((mail) => mail.to)).toEqual([['bob@remote.test']]);
    expect(received[0]!.raw).toMatch(/^Subject: Leaves without SMTP\r?$/m);
  });
});
