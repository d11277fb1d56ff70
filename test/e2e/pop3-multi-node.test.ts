import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { TEST_DB } from '../support/test-database.js';
import { RawPop3, ServerStore } from './pop3-e2e-support.js';

const USER = 'roam@pop3nodes.example';
const PASSWORD = 'two nodes pass';

async function login(port: number): Promise<{ client: RawPop3; reply: string }> {
  const client = await RawPop3.connect(port);
  await client.line();
  await client.command(`USER ${USER}`);
  return { client, reply: await client.command(`PASS ${PASSWORD}`) };
}

// Several nodes need a MySQL-compatible database (design.md), so this suite runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb')('POP3 maildrop lock across two server processes on one database', () => {
  let blobDir: string;
  let nodeA: MailhiveProcess;
  let nodeB: MailhiveProcess;
  let store: ServerStore;

  beforeAll(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'mailhive-pop3-blobs-'));
    nodeA = await MailhiveProcess.create({ MAILHIVE_BLOB_DIR: blobDir });
    nodeB = await MailhiveProcess.create({ MAILHIVE_BLOB_DIR: blobDir, MAILHIVE_DATABASE_URL: nodeA.env.MAILHIVE_DATABASE_URL! });
    await nodeA.start();
    await nodeB.start();
    await nodeA.cli('domain', 'add', 'pop3nodes.example');
    await nodeA.cli('user', 'add', USER, '--password', PASSWORD);
    store = await ServerStore.open(nodeA);
    for (const n of [1, 2]) await store.deliver(USER, `Subject: n${n}\r\n\r\nbody\r\n`);
  });

  afterAll(async () => {
    await store?.close();
    await nodeB?.destroy();
    await nodeA?.destroy();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('a session on node A keeps node B out with [IN-USE]; after QUIT node B gets in and its DELE is seen by A', async () => {
    const a = await login(nodeA.ports.pop3);
    expect(a.reply).toBe('+OK maildrop has 2 messages');
    const b = await login(nodeB.ports.pop3);
    expect(b.reply).toBe('-ERR [IN-USE] another POP3 session is using this maildrop');
    expect(await a.client.quit()).toMatch(/^\+OK/);

    await b.client.command(`USER ${USER}`);
    expect(await b.client.command(`PASS ${PASSWORD}`)).toBe('+OK maildrop has 2 messages');
    expect(await b.client.command('RETR 2')).toMatch(/^\+OK \d+ octets$/);
    expect((await b.client.multiline()).toString()).toBe('Subject: n2\r\n\r\nbody\r\n');
    expect(await b.client.command('DELE 1')).toMatch(/^\+OK/);
    expect(await b.client.quit()).toBe('+OK bye (1 messages deleted)');

    const again = await login(nodeA.ports.pop3);
    expect(again.reply).toBe('+OK maildrop has 1 messages');
    await again.client.quit();
  });
});
