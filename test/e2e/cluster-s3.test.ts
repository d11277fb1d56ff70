import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { S3TestServer } from '../support/s3-server.js';
import { TEST_DB } from '../support/test-database.js';
import { rawMessage, smtpTransaction } from './smtp-helpers.js';

const PASSWORD = 'cluster s3 pass';

async function imapSource(port: number, user: string, subject: string): Promise<Buffer | null> {
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
  try {
    await flow.mailboxOpen('INBOX');
    const uids = (await flow.search({ header: { subject } }, { uid: true })) || [];
    if (uids.length === 0) return null;
    const message = await flow.fetchOne(String(uids[0]), { source: true }, { uid: true });
    return message ? message.source! : null;
  } finally {
    await flow.logout();
  }
}

/** Objects s3rver holds under a key prefix of the bucket (it keeps each object as a file named after its key). */
function objectsUnder(s3: S3TestServer, prefix: string): string[] {
  const dir = join(s3.directory, s3.bucket, prefix);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /[0-9a-f]{64}\._S3rver_object$/.test(name));
}

describe(`blobs on S3, one node on ${TEST_DB}`, () => {
  let s3: S3TestServer;
  let node: MailhiveProcess;

  beforeAll(async () => {
    s3 = await new S3TestServer().start();
    node = await MailhiveProcess.create(s3.env('single'));
    await node.start();
    await node.cli('domain', 'add', 's3.example');
    await node.cli('user', 'add', 'ada@s3.example', '--password', PASSWORD);
  });

  afterAll(async () => {
    await node?.destroy();
    await s3?.stop();
  });

  it('takes a message over SMTP, keeps its bytes in the bucket and nowhere on disk, and serves them over IMAP', async () => {
    const message = rawMessage('sender@remote.example', 'ada@s3.example', 'to the bucket', `${'line of text\r\n'.repeat(2000)}`);
    const reply = await smtpTransaction(node.ports.smtp, { mail: '<sender@remote.example>', rcpts: ['<ada@s3.example>'], message });
    expect(reply.data).toMatch(/^250 /);
    expect(objectsUnder(s3, 'single').length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(node.dataDir, 'blobs'))).toBe(false);
    const source = await imapSource(node.ports.imap, 'ada@s3.example', 'to the bucket');
    expect(source!.toString()).toContain(message.subarray(message.indexOf('From:')).toString());
    const health = await fetch(`http://127.0.0.1:${node.ports.http}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', blobStore: 'ok' });
  });

  it('answers 4xx, not 250, while the bucket is unreachable, and takes the message once it is back', async () => {
    await s3.stop({ keep: true });
    try {
      const message = rawMessage('sender@remote.example', 'ada@s3.example', 'during the outage', 'body\r\n');
      const reply = await smtpTransaction(node.ports.smtp, { mail: '<sender@remote.example>', rcpts: ['<ada@s3.example>'], message });
      expect(reply.data).toMatch(/^4\d\d /);
      const health = await fetch(`http://127.0.0.1:${node.ports.http}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'degraded', blobStore: 'down' });
    } finally {
      await s3.start();
    }
    const message = rawMessage('sender@remote.example', 'ada@s3.example', 'after the outage', 'body\r\n');
    const reply = await smtpTransaction(node.ports.smtp, { mail: '<sender@remote.example>', rcpts: ['<ada@s3.example>'], message });
    expect(reply.data).toMatch(/^250 /);
    expect(await imapSource(node.ports.imap, 'ada@s3.example', 'during the outage')).toBeNull();
    expect((await imapSource(node.ports.imap, 'ada@s3.example', 'after the outage'))!.toString()).toContain('Subject: after the outage');
  });

  it('refuses to start on a bucket that does not exist, naming the variable', async () => {
    const broken = await MailhiveProcess.create({ ...s3.env('x'), MAILHIVE_BLOB_DIR: 's3://missing-bucket/x' });
    try {
      await expect(broken.start()).rejects.toThrow(
        /cannot reach the blob store s3:\/\/missing-bucket\/x: no such bucket \(MAILHIVE_BLOB_DIR\)/,
      );
    } finally {
      await broken.destroy();
    }
  });
});

// Several nodes need a MySQL-compatible database (design.md), so this suite runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb')('two nodes on one MariaDB database sharing an S3 bucket', () => {
  let s3: S3TestServer;
  let nodeA: MailhiveProcess;
  let nodeB: MailhiveProcess;

  beforeAll(async () => {
    s3 = await new S3TestServer().start();
    nodeA = await MailhiveProcess.create(s3.env('shared'));
    nodeB = await MailhiveProcess.create({ ...s3.env('shared'), MAILHIVE_DATABASE_URL: nodeA.env.MAILHIVE_DATABASE_URL! });
    await nodeA.start();
    await nodeB.start();
    await nodeA.cli('domain', 'add', 'pair.example');
    await nodeA.cli('user', 'add', 'bo@pair.example', '--password', PASSWORD);
  });

  afterAll(async () => {
    await nodeB?.destroy();
    await nodeA?.destroy();
    await s3?.stop();
  });

  it('reads on node B what node A took over SMTP, and on node A what node B took', async () => {
    const fromA = rawMessage('x@remote.example', 'bo@pair.example', 'written by A', `${'a'.repeat(70)}\r\n`.repeat(300));
    expect(
      (await smtpTransaction(nodeA.ports.smtp, { mail: '<x@remote.example>', rcpts: ['<bo@pair.example>'], message: fromA })).data,
    ).toMatch(/^250 /);
    const fromB = rawMessage('x@remote.example', 'bo@pair.example', 'written by B', 'short\r\n');
    expect(
      (await smtpTransaction(nodeB.ports.smtp, { mail: '<x@remote.example>', rcpts: ['<bo@pair.example>'], message: fromB })).data,
    ).toMatch(/^250 /);
    expect((await imapSource(nodeB.ports.imap, 'bo@pair.example', 'written by A'))!.toString()).toContain(
      `${'a'.repeat(70)}\r\n`.repeat(300),
    );
    expect((await imapSource(nodeA.ports.imap, 'bo@pair.example', 'written by B'))!.toString()).toContain('Subject: written by B\r\n');
    expect(objectsUnder(s3, 'shared')).toHaveLength(2);
  });
});
