import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { startMailhive, type RunningMailhive } from '../../app/bootstrap.js';
import { loadConfig } from '../../core/config/config.loader.js';
import { createLogger } from '../../core/logging/logger.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
// @ts-expect-error plain JS helper shared with `npm run schema`
import { fetchSchema } from '../../scripts/print-schema.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const OFF = Object.fromEntries(
  ['SMTP', 'SUBMISSION', 'SMTPS', 'POP3', 'POP3S', 'IMAP', 'IMAPS'].map((name) => [`MAILHIVE_${name}_PORT`, 'off']),
);

describe('GraphQL gateway', () => {
  let running: RunningMailhive;
  let database: TestDatabase;
  let dataDir: string;
  let port: number;

  const graphql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return response.json() as Promise<{ data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] }>;
  };

  const wsClient = (authorization?: string): Client =>
    createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: authorization ? { authorization } : {},
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailhive-gql-'));
    database = await createTestDatabase();
    const config = loadConfig({
      ...OFF,
      MAILHIVE_HTTP_PORT: '0',
      MAILHIVE_BIND: '127.0.0.1',
      MAILHIVE_DATA_DIR: dataDir,
      MAILHIVE_LOG_LEVEL: 'silent',
      ...(database.url ? { MAILHIVE_DATABASE_URL: database.url } : {}),
    });
    running = await startMailhive(config, createLogger('silent'));
    port = running.ports.http!;
    const accounts = running.app.get(AccountsService);
    await accounts.addDomain('gql.example');
    await accounts.addUser({ address: 'sub@gql.example', password: 'password123' });
    await accounts.addUser({ address: 'other@gql.example', password: 'password123' });
  });

  afterAll(async () => {
    await running.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the schema committed in schema.gql', async () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', 'schema.gql'), 'utf8');
    // When this fails after a deliberate API change, regenerate with `npm run schema` and commit schema.gql.
    expect(await fetchSchema(`http://127.0.0.1:${port}/graphql`)).toBe(committed);
  });

  it("delivers the subscriber's own mail events over graphql-ws, and nobody else's", async () => {
    const login = await graphql('mutation { login(email: "sub@gql.example", password: "password123") { token account { id } } }');
    const token = login.data?.login.token as string;
    const client = wsClient(`Bearer ${token}`);
    const received: { type: string; mailboxId: string; messageId: string | null }[] = [];
    const subscribed = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { mailEvents { type mailboxId messageId } }' },
        {
          next: (result) => {
            received.push((result.data as { mailEvents: { type: string; mailboxId: string; messageId: string | null } }).mailEvents);
            if (received.length === 1) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const mailboxes = running.app.get(MailboxService);
    const messages = running.app.get(MessageService);
    const accounts = running.app.get(AccountsService);
    const other = await accounts.getUser('other@gql.example');
    const otherInbox = await mailboxes.get(other.id, 'INBOX');
    await messages.append({ accountId: other.id, mailboxId: otherInbox.id }, Buffer.from('Subject: not yours\r\n\r\nx\r\n'));
    const mine = await accounts.getUser('sub@gql.example');
    const inbox = await mailboxes.get(mine.id, 'INBOX');
    const started = Date.now();
    const filed = await messages.append({ accountId: mine.id, mailboxId: inbox.id }, Buffer.from('Subject: yours\r\n\r\nx\r\n'));
    await subscribed;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(received).toEqual([{ type: 'MESSAGE_ADDED', mailboxId: String(inbox.id), messageId: String(filed.messageId) }]);
    await client.dispose();
  });

  it('refuses a websocket without a valid token at connection_init (4403 Forbidden)', async () => {
    const client = wsClient('Bearer not-a-token');
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription { mailEvents { type } }' },
        { next: resolve, error: resolve, complete: () => resolve('complete') },
      );
    });
    expect(outcome).toMatchObject({ code: 4403 });
    await client.dispose();
  });
});
