// GraphQL mail API on a 100,000-message mailbox: median latency of messages(first: 50) (first page, a deep page by
// cursor, a search), message(id) with its body, and of a mailEvents push after the SMTP 250. Prints one summary line.
// Run: npm run build && node dist/bench/graphql-messages.js [messages=100000]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import 'reflect-metadata';
import { createClient } from 'graphql-ws';
import { createTransport } from 'nodemailer';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import WebSocket from 'ws';
import { closeCoreResources, openCoreResources } from '../app/core-resources.js';
import { loadConfig } from '../core/config/config.loader.js';
import { createLogger } from '../core/logging/logger.js';
import { analyzeMessage } from '../core/mime/analyze-message.js';
import { storedStructureOf } from '../core/mime/message-analysis.types.js';
import { AccountEntity } from '../core/store/entities/account.entity.js';
import { BlobEntity } from '../core/store/entities/blob.entity.js';
import { MailboxEntity } from '../core/store/entities/mailbox.entity.js';
import { MessageEntity } from '../core/store/entities/message.entity.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';

const count = Number(process.argv[2] ?? 100_000);
const DISTINCT = 200;
const BATCH = 500;

interface Page {
  messages: { pageInfo: { endCursor: string | null }; nodes: { id: string }[] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function raw(i: number): Buffer {
  return Buffer.from(
    `From: Sender ${i % 50} <sender${i % 50}@example.com>\r\nTo: bench@bench.example\r\nSubject: bench ${i}\r\n` +
      `Date: ${new Date(Date.UTC(2020, 0, 1) + i * 60_000).toUTCString()}\r\nMessage-ID: <bench-${i}@example.com>\r\n\r\n` +
      `${`Message number ${i} about topic${i % 97}. `.repeat(40)}\r\n`,
  );
}

/**
 * Seeding 100k messages through SMTP or IMAP would take minutes; the rows are written in bulk instead, as the
 * mail services would have written them (same analysis, counters and blob references), before the server starts.
 */
async function seed(server: MailhiveProcess): Promise<void> {
  const config = loadConfig({ ...server.env, MAILHIVE_LOG_LEVEL: 'silent' } as Record<string, string>);
  const resources = await openCoreResources(config, createLogger('silent'), { plugins: false, bus: false });
  try {
    const manager = resources.sources.writer.manager;
    const account = await manager.findOneByOrFail(AccountEntity, { address: 'bench@bench.example' });
    const inbox = await manager.findOneByOrFail(MailboxEntity, { accountId: account.id, path: 'INBOX' });
    const templates = await Promise.all(
      Array.from({ length: DISTINCT }, async (_, i) => {
        const content = raw(i);
        const blob = await resources.blobs.put(content);
        return { blob, analysis: await analyzeMessage(content) };
      }),
    );
    let size = 0;
    for (let start = 0; start < count; start += BATCH) {
      const rows: QueryDeepPartialEntity<MessageEntity>[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const { blob, analysis } = templates[i % DISTINCT];
        size += blob.size;
        rows.push({
          accountId: account.id,
          mailboxId: inbox.id,
          uid: i + 1,
          modseq: 2,
          seen: i % 3 === 0,
          answered: false,
          flagged: i % 10 === 0,
          deleted: false,
          draft: false,
          keywords: [],
          internalDate: Date.UTC(2020, 0, 1) + i * 60_000,
          size: blob.size,
          blobId: blob.id,
          sentDate: Date.UTC(2020, 0, 1) + i * 60_000,
          subject: `bench ${i}`,
          fromAddress: analysis.from,
          messageIdHeader: `<bench-${i}@example.com>`,
          preview: analysis.preview,
          hasAttachments: false,
          structure: storedStructureOf(analysis),
          searchText: `${analysis.searchText} topic${i % 97}`,
        });
      }
      await resources.sources.writer.transaction((tx) => tx.insert(MessageEntity, rows));
    }
    await manager.update(
      MailboxEntity,
      { id: inbox.id },
      {
        uidNext: count + 1,
        highestModseq: 2,
        messageCount: count,
        unseenCount: count - Math.ceil(count / 3),
        totalSize: size,
      },
    );
    await manager.update(AccountEntity, { id: account.id }, { usedBytes: size });
    for (const { blob } of templates) {
      await manager.upsert(BlobEntity, { id: blob.id, size: blob.size, refCount: Math.ceil(count / DISTINCT), createdAt: Date.now() }, [
        'id',
      ]);
    }
  } finally {
    await closeCoreResources(resources);
  }
}

const server = await MailhiveProcess.create();
try {
  await server.cli('domain', 'add', 'bench.example');
  await server.cli('user', 'add', 'bench@bench.example', '--password', 'secret123');
  const seedStarted = performance.now();
  await seed(server);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await server.start();
  const endpoint = `http://127.0.0.1:${server.ports.http}/graphql`;
  const gql = async <T = Page>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data as T;
  };
  const token = (
    await gql<{ login: { token: string } }>('mutation { login(email: "bench@bench.example", password: "secret123") { token } }')
  ).login.token;
  const inbox = (
    await gql<{ mailboxes: { id: string; path: string; totalCount: number }[] }>('{ mailboxes { id path totalCount } }', {}, token)
  ).mailboxes.find((box) => box.path === 'INBOX');
  if (!inbox || inbox.totalCount !== count) throw new Error(`seeded ${inbox?.totalCount} messages, expected ${count}`);
  const PAGE = `query($m: ID!, $after: String, $q: String) { messages(mailboxId: $m, first: 50, after: $after, query: $q) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id subject from { name address } to { address } date seen flagged answered hasAttachments preview size threadId } } }`;
  const time = async (runs: number, work: () => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await work();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await work();
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  const firstPage = await time(100, () => gql(PAGE, { m: inbox.id }, token));
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) cursor = (await gql(PAGE, { m: inbox.id, after: cursor }, token)).messages.pageInfo.endCursor;
  const deepPage = await time(100, () => gql(PAGE, { m: inbox.id, after: cursor }, token));
  const flaggedSearch = await time(20, () => gql(PAGE, { m: inbox.id, q: 'is:flagged from:sender7' }, token));
  const firstId = (await gql(PAGE, { m: inbox.id }, token)).messages.nodes[0].id;
  const oneMessage = await time(100, () =>
    gql('query($id: ID!) { message(id: $id) { subject text html headers { name value } } }', { id: firstId }, token),
  );

  const received: number[] = [];
  let wake: (() => void) | null = null;
  const client = createClient({
    url: `ws://127.0.0.1:${server.ports.http}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  client.subscribe(
    { query: 'subscription { mailEvents { type messageId } }' },
    {
      next: () => {
        received.push(performance.now());
        wake?.();
      },
      error: (error) => {
        throw error;
      },
      complete: () => undefined,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const transport = createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true, pool: true });
  const push: number[] = [];
  for (let i = 0; i < 20; i++) {
    const before = received.length;
    const arrived = new Promise<void>((resolve) => {
      wake = () => {
        if (received.length > before) resolve();
      };
    });
    await transport.sendMail({ from: 'x@example.com', to: 'bench@bench.example', subject: `push ${i}`, text: 'x' });
    const accepted = performance.now();
    await arrived;
    // Negative when the event reached the subscriber before the SMTP client had read the 250.
    push.push(received[before] - accepted);
  }
  transport.close();
  await client.dispose();
  const db = process.env.MAILHIVE_TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';
  console.log(
    `graphql ${db} ${count} messages (seeded in ${seedSeconds.toFixed(0)} s): messages(first:50) median ${firstPage.toFixed(1)} ms, ` +
      `page 21 by cursor ${deepPage.toFixed(1)} ms, search "is:flagged from:" ${flaggedSearch.toFixed(1)} ms, message(id) with body ${oneMessage.toFixed(1)} ms, ` +
      `mailEvents push relative to the SMTP 250 median ${median(push).toFixed(1)} ms (max ${Math.max(...push).toFixed(1)} ms)`,
  );
} finally {
  await server.destroy();
}
