// N nodes on this machine, on one MariaDB database and one blob directory: SMTP intake (messages of 4 KB over 20
// connections spread over the nodes, until the last 250, i.e. stored) and IMAP load (4 clients per node, each
// fetching every message's source) for 1, 2 and 3 nodes. On one machine the nodes share its cores, so the figure shows
// what sharing the database costs, not how a cluster of machines scales. Prints one summary line.
// Run: npm run build && MAILHIVE_TEST_DB=mariadb node dist/bench/cluster.js [messages=1000] [max-nodes=3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { TEST_DB } from '../test/support/test-database.js';
import { benchMessage, RECIPIENT } from './smtp-bench-support.js';
import { sendOne } from './smtp-source.js';

const count = Number(process.argv[2] ?? 1000);
const maxNodes = Number(process.argv[3] ?? 3);
const CONNECTIONS = 20;
const IMAP_CLIENTS_PER_NODE = 4;
const PASSWORD = 'cluster bench pass';

if (TEST_DB !== 'mariadb') {
  console.error('bench/cluster: several nodes need MariaDB: run with MAILHIVE_TEST_DB=mariadb');
  process.exit(2);
}

async function run(nodeCount: number): Promise<{ intake: number; fetch: number }> {
  const blobDir = mkdtempSync(join(tmpdir(), 'mailhive-bench-cluster-'));
  const first = await MailhiveProcess.create({ MAILHIVE_BLOB_DIR: blobDir, MAILHIVE_LOG_LEVEL: 'warn' });
  const nodes = [first];
  for (let i = 1; i < nodeCount; i++)
    nodes.push(await MailhiveProcess.create({ MAILHIVE_BLOB_DIR: blobDir, MAILHIVE_DATABASE_URL: first.env.MAILHIVE_DATABASE_URL! }));
  try {
    for (const node of nodes) await node.start();
    for (const args of [
      ['domain', 'add', RECIPIENT.split('@')[1]!],
      ['user', 'add', RECIPIENT, '--password', PASSWORD],
    ]) {
      const result = await first.cli(...args);
      if (result.code !== 0) throw new Error(`mailhive ${args.join(' ')}: ${result.stderr}`);
    }

    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, worker) => {
        const node = nodes[worker % nodes.length]!;
        while (next < count) await sendOne(node.ports.smtp, 'load@outside.example', RECIPIENT, benchMessage(next++, 4096));
      }),
    );
    const intake = count / ((performance.now() - started) / 1000);

    // Logins one after the other: login throttling counts parallel attempts from one address as possible failures.
    const clients: ImapFlow[] = [];
    for (const node of nodes) {
      for (let i = 0; i < IMAP_CLIENTS_PER_NODE; i++) {
        const client = new ImapFlow({
          host: '127.0.0.1',
          port: node.ports.imap,
          secure: false,
          auth: { user: RECIPIENT, pass: PASSWORD },
          logger: false,
          tls: { rejectUnauthorized: false },
        });
        await client.connect();
        await client.mailboxOpen('INBOX');
        clients.push(client);
      }
    }
    const fetchStarted = performance.now();
    let fetched = 0;
    await Promise.all(
      clients.map(async (client) => {
        for await (const message of client.fetch('1:*', { source: true })) if (message.source) fetched++;
      }),
    );
    const fetch = fetched / ((performance.now() - fetchStarted) / 1000);
    for (const client of clients) await client.logout();
    return { intake, fetch };
  } finally {
    for (const node of nodes.slice(1)) await node.stop();
    for (const node of nodes.slice(1).reverse()) await node.destroy();
    await first.destroy();
    rmSync(blobDir, { recursive: true, force: true });
  }
}

const results: string[] = [];
for (let nodeCount = 1; nodeCount <= maxNodes; nodeCount++) {
  const { intake, fetch } = await run(nodeCount);
  results.push(
    `${nodeCount} node${nodeCount > 1 ? 's' : ''}: SMTP ${intake.toFixed(0)} messages/s, IMAP FETCH ${fetch.toFixed(0)} messages/s`,
  );
}
console.log(
  `cluster (mariadb, one machine, ${count} messages of 4 KB over ${CONNECTIONS} connections, ${IMAP_CLIENTS_PER_NODE} IMAP clients per node fetching all): ${results.join('; ')}`,
);
