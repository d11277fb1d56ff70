import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { S3TestServer } from '../support/s3-server.js';
import { TEST_DB } from '../support/test-database.js';
import { rawMessage, smtpTransaction } from './smtp-helpers.js';

const USER = 'mover@migrate.example';
const PASSWORD = 'migrate pass';

async function deliver(node: MailhiveProcess, subject: string): Promise<void> {
  const message = rawMessage('x@remote.example', USER, subject, `${subject} body\r\n`);
  const reply = await smtpTransaction(node.ports.smtp, { mail: '<x@remote.example>', rcpts: [`<${USER}>`], message });
  expect(reply.data).toMatch(/^250 /);
}

/** Subject -> body of every message in INBOX, read over IMAP. */
async function inbox(node: MailhiveProcess): Promise<Map<string, string>> {
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port: node.ports.imap,
    secure: false,
    auth: { user: USER, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
  const seen = new Map<string, string>();
  try {
    await flow.mailboxOpen('INBOX');
    for await (const message of flow.fetch('1:*', { source: true })) {
      const text = message.source!.toString();
      seen.set(/^Subject: (.*)\r$/m.exec(text)![1]!, text.slice(text.indexOf('\r\n\r\n') + 4));
    }
  } finally {
    await flow.logout();
  }
  return seen;
}

function objectCount(s3: S3TestServer, prefix: string): number {
  const dir = join(s3.directory, s3.bucket, prefix);
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('._S3rver_object')).length;
}

describe(`mailhive blobs migrate from files to S3 on ${TEST_DB}`, () => {
  let s3: S3TestServer;
  let node: MailhiveProcess;
  let target: string;

  beforeAll(async () => {
    s3 = await new S3TestServer().start();
    target = s3.url('moved');
    const { MAILHIVE_BLOB_DIR: _unused, ...settings } = s3.env('moved');
    // The node starts on its file store; the S3 settings are there for the CLI and for the switch.
    node = await MailhiveProcess.create(settings);
    await node.start();
    await node.cli('domain', 'add', 'migrate.example');
    await node.cli('user', 'add', USER, '--password', PASSWORD);
  });

  afterAll(async () => {
    await node?.destroy();
    await s3?.stop();
  });

  it('copies while the server takes mail, switches with the old store behind, copies the rest, and loses nothing', async () => {
    for (const n of [1, 2, 3, 4, 5]) await deliver(node, `before ${n}`);

    const during = deliver(node, 'during the copy');
    const copy = await node.cli('blobs', 'migrate', '--to', target);
    await during;
    expect(copy.code).toBe(0);
    expect(copy.stdout).toMatch(/^\d+ blobs copied \([\d.]+ MiB\) and read back; \d+ there already; 0 deleted meanwhile$/m);
    expect(copy.stdout).toContain(`next: set MAILHIVE_BLOB_DIR=${target} and MAILHIVE_BLOB_FALLBACK_DIR=${join(node.dataDir, 'blobs')}`);
    const copied = objectCount(s3, 'moved');
    expect(copied).toBeGreaterThanOrEqual(5);

    // Written to files after the copy: only the fallback has it until the second copy.
    await deliver(node, 'after the copy');
    const again = await node.cli('blobs', 'migrate', '--to', target);
    // The message delivered during the first copy is copied now if the first copy's listing missed it.
    expect(again.stdout).toMatch(/^[12] blobs copied .*; \d+ there already/m);
    expect(objectCount(s3, 'moved')).toBe(copied + Number(/^(\d) blobs copied/m.exec(again.stdout)![1]));
    await deliver(node, 'late on files');

    // The switch (on several nodes, one node at a time while the others serve).
    await node.stop();
    node.env.MAILHIVE_BLOB_DIR = target;
    node.env.MAILHIVE_BLOB_FALLBACK_DIR = join(node.dataDir, 'blobs');
    await node.start();
    await deliver(node, 'on S3');
    const all = await inbox(node);
    expect([...all.keys()].sort()).toEqual(
      ['after the copy', 'before 1', 'before 2', 'before 3', 'before 4', 'before 5', 'during the copy', 'late on files', 'on S3'].sort(),
    );
    for (const [subject, body] of all) expect(body).toBe(`${subject} body\r\n`);

    const last = await node.cli('blobs', 'migrate', '--to', target);
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/^1 blobs copied/m);
    expect(last.stdout).toContain('done: if every node writes to the new store, MAILHIVE_BLOB_FALLBACK_DIR can go');

    // Without the old store every message still reads the same.
    await node.stop();
    delete node.env.MAILHIVE_BLOB_FALLBACK_DIR;
    await node.start();
    const after = await inbox(node);
    expect(after).toEqual(all);
  }, 120_000);

  it('refuses a target that is not a store, and a source equal to the target', async () => {
    const bad = await node.cli('blobs', 'migrate', '--to', 's3://Bad_Bucket/x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to: invalid S3 bucket name "Bad_Bucket"');
    const missing = await node.cli('blobs', 'migrate');
    expect(missing.code).toBe(2);
    const same = await node.cli('blobs', 'migrate', '--to', target, '--from', target);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--from and --to name the same store');
  });
});
