import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { startMailhive, type RunningMailhive } from '../../app/bootstrap.js';
import { loadConfig } from '../../core/config/config.loader.js';
import { createLogger } from '../../core/logging/logger.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/test-database.js';

const OFF = Object.fromEntries(
  ['SMTP', 'SUBMISSION', 'SMTPS', 'POP3', 'POP3S', 'IMAP', 'IMAPS'].map((name) => [`MAILHIVE_${name}_PORT`, 'off']),
);

interface Node {
  running: RunningMailhive;
  port: number;
  dataDir: string;
}

// Several nodes share one MySQL-compatible database, one blob store and a bus; this suite runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb').each([
  ['NATS', 'nats://127.0.0.1:4222'],
  ['Redis', 'redis://127.0.0.1:6379'],
])('two nodes on one database and a %s bus', (_name, busUrl) => {
  let database: TestDatabase;
  let blobDir: string;
  const nodes: Node[] = [];

  async function startNode(): Promise<Node> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-node-'));
    const config = loadConfig({
      ...OFF,
      MAILHIVE_HTTP_PORT: '0',
      MAILHIVE_BIND: '127.0.0.1',
      MAILHIVE_DATA_DIR: dataDir,
      MAILHIVE_LOG_LEVEL: 'silent',
      MAILHIVE_DATABASE_URL: database.url!,
      MAILHIVE_BLOB_DIR: blobDir,
      MAILHIVE_BUS_URL: busUrl,
    });
    const running = await startMailhive(config, createLogger('silent'));
    return { running, port: running.ports.http!, dataDir };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    blobDir = mkdtempSync(join(tmpdir(), 'mailhive-shared-blobs-'));
    nodes.push(await startNode(), await startNode());
    const accounts = nodes[0].running.app.get(AccountsService);
    await accounts.addDomain('nodes.example');
    await accounts.addUser({ address: 'roam@nodes.example', password: 'password123' });
  });

  afterAll(async () => {
    for (const node of nodes) {
      await node.running.stop();
      rmSync(node.dataDir, { recursive: true, force: true });
    }
    nodes.length = 0;
    await database.drop();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('shows a change made on one node to a subscriber on the other within a second', async () => {
    const [a, b] = nodes;
    const response = await fetch(`http://127.0.0.1:${b.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(email: "roam@nodes.example", password: "password123") { token } }' }),
    });
    const token = ((await response.json()) as { data: { login: { token: string } } }).data.login.token;
    const client = createClient({
      url: `ws://127.0.0.1:${b.port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const events: { type: string; messageId: string | null }[] = [];
    const twoEvents = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { mailEvents { type messageId } }' },
        {
          next: (result) => {
            events.push((result.data as { mailEvents: { type: string; messageId: string | null } }).mailEvents);
            if (events.length === 2) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const accounts = a.running.app.get(AccountsService);
    const user = await accounts.getUser('roam@nodes.example');
    const inbox = await a.running.app.get(MailboxService).get(user.id, 'INBOX');
    const messages = a.running.app.get(MessageService);
    const started = Date.now();
    const filed = await messages.append({ accountId: user.id, mailboxId: inbox.id }, Buffer.from('Subject: across nodes\r\n\r\nhello\r\n'));
    await messages.setFlags(user.id, inbox.id, [filed.uid], 'add', ['\\Seen']);
    await twoEvents;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events).toEqual([
      { type: 'MESSAGE_ADDED', messageId: String(filed.messageId) },
      { type: 'FLAGS_CHANGED', messageId: String(filed.messageId) },
    ]);
    // The other node reads the same row and the same blob.
    const [row] = await b.running.app.get(MessageService).get(inbox.id, [filed.uid]);
    expect((await b.running.app.get(MessageService).readRaw(row.blobId)).toString()).toBe('Subject: across nodes\r\n\r\nhello\r\n');
    await client.dispose();
  });
});
