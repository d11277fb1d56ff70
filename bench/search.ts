// Full-text search at 10,000 and 100,000 messages on SQLite and MariaDB: median latency of the webmail search
// messages(first: 50, query:) with totalCount, for the issue's `is:flagged from:sender7`, a rare word, a Chinese word
// and a word in every message, and of IMAP UID SEARCH BODY/TEXT. Prints one summary line.
// Run: npm run build && node dist/bench/search.js [sizes=10000,100000] [databases=sqlite,mariadb]
// Each (database, size) runs in a child process on a fresh store seeded straight into the database (bench/imap-seed.ts,
// with the search index rows the mail services would have written).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config/config.loader.js';
import { closeDataSources, openDataSources } from '../core/store/data-source.factory.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { ImapBenchClient } from './imap-bench-client.js';
import { seedMailbox } from './imap-seed.js';

interface Figures {
  db: string;
  count: number;
  seedSeconds: number;
  tokenRows: number;
  flaggedFrom: number;
  rareWord: number;
  chinese: number;
  commonWord: number;
  imapBody: number;
  imapChinese: number;
  matches: Record<string, number>;
}

const CHINESE = ['我们明天在北京开会', '请查收附件中的报告', '上海的天气很好', '周末一起去爬山吧', '项目进度需要更新'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ten', 'vo', 'shu', 'pel', 'dar', 'gin', 'or', 'ux', 'zel', 'bri', 'fo', 'ne'];

/** A vocabulary of 4,096 made-up words, and a deterministic choice of 30 of them per message. */
const VOCABULARY = Array.from({ length: 4096 }, (_, i) => SYLLABLES[i & 15] + SYLLABLES[(i >> 4) & 15] + SYLLABLES[(i >> 8) & 15]);

function message(i: number): Buffer {
  let state = (i * 2654435761) >>> 0;
  const words: string[] = [];
  for (let w = 0; w < 30; w++) {
    state = (state * 1103515245 + 12345) >>> 0;
    words.push(VOCABULARY[state % VOCABULARY.length]);
  }
  const date = new Date(Date.UTC(2020, 0, 1) + i * 60_000).toUTCString();
  return Buffer.from(
    `From: Sender ${i % 50} <sender${i % 50}@example.com>\r\nTo: bench@bench.example\r\nSubject: bench ${i} ${words[0]}\r\n` +
      `Date: ${date}\r\nMessage-ID: <bench-${i}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `Message ${i} ref${i % 1000}x ${words.join(' ')}.\r\n${CHINESE[i % CHINESE.length]}\r\n`,
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function time(runs: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function measure(count: number): Promise<Figures> {
  const server = await MailhiveProcess.create();
  try {
    await server.cli('domain', 'add', 'bench.example');
    await server.cli('user', 'add', 'bench@bench.example', '--password', 'secret123');
    const seedStarted = performance.now();
    await seedMailbox(server.env, { address: 'bench@bench.example', mailbox: 'INBOX', count, message, seen: (i) => i % 3 !== 0 });
    const sources = await openDataSources(loadConfig({ ...process.env, ...server.env }));
    let tokenRows = 0;
    try {
      await sources.writer.query('UPDATE `messages` SET `flagged` = 1 WHERE MOD(`uid`, 10) = 1');
      const [row] = (await sources.writer.query('SELECT COUNT(*) AS `n` FROM `search_tokens`')) as { n: number | string }[];
      tokenRows = Number(row.n);
    } finally {
      await closeDataSources(sources);
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await server.start();
    const endpoint = `http://127.0.0.1:${server.ports.http}/graphql`;
    const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
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
    const { mailboxes } = await gql<{ mailboxes: { id: string; path: string }[] }>('{ mailboxes { id path } }', {}, token);
    const inbox = mailboxes.find((box) => box.path === 'INBOX')?.id;
    const PAGE = `query($m: ID!, $q: String) { messages(mailboxId: $m, first: 50, query: $q) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id subject from { address } date seen flagged preview size } } }`;
    const matches: Record<string, number> = {};
    const search = (q: string) => async () => {
      const page = await gql<{ messages: { totalCount: number } }>(PAGE, { m: inbox, q }, token);
      matches[q] = page.messages.totalCount;
    };
    const flaggedFrom = await time(20, search('is:flagged from:sender7'));
    const rareWord = await time(20, search('ref123x'));
    const chinese = await time(20, search('北京'));
    const commonWord = await time(5, search('message'));
    const imap = await ImapBenchClient.open(server.ports.imap);
    await imap.command('LOGIN bench@bench.example secret123');
    await imap.command('SELECT INBOX');
    const imapBody = await time(10, () => imap.command('UID SEARCH BODY ref123x'));
    const imapChinese = await time(10, () => imap.command([Buffer.from('UID SEARCH CHARSET UTF-8 TEXT {6+}\r\n'), Buffer.from('北京')]));
    await imap.command('LOGOUT').catch(() => undefined);
    const db = process.env.MAILHIVE_TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';
    return { db, count, seedSeconds, tokenRows, flaggedFrom, rareWord, chinese, commonWord, imapBody, imapChinese, matches };
  } finally {
    await server.destroy();
  }
}

function child(db: string, count: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, [fileURLToPath(import.meta.url), '--one', String(count)], {
      env: { ...process.env, MAILHIVE_TEST_DB: db },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    run.on('error', reject);
    run.on('close', (code) => {
      const last = output.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{'))
        reject(new Error(`search bench on ${db} with ${count} messages failed (${code}): ${output}`));
      else resolve(JSON.parse(last) as Figures);
    });
  });
}

if (process.argv[2] === '--one') {
  console.log(JSON.stringify(await measure(Number(process.argv[3]))));
} else {
  const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
  const databases = (process.argv[3] ?? 'sqlite,mariadb').split(',');
  const parts: string[] = [];
  for (const db of databases) {
    for (const count of sizes) {
      const f = await child(db, count);
      parts.push(
        `${f.db} ${f.count} (${(f.tokenRows / 1e6).toFixed(1)}M index rows, seeded in ${f.seedSeconds.toFixed(0)} s): ` +
          `"is:flagged from:sender7" ${f.flaggedFrom.toFixed(1)} ms, rare word ${f.rareWord.toFixed(1)} ms (${f.matches['ref123x']} hits), ` +
          `北京 ${f.chinese.toFixed(1)} ms (${f.matches['北京']}), word in every message ${f.commonWord.toFixed(1)} ms, ` +
          `IMAP SEARCH BODY ${f.imapBody.toFixed(1)} ms, TEXT 北京 ${f.imapChinese.toFixed(1)} ms`,
      );
    }
  }
  console.log(`search medians, webmail messages(first:50) with totalCount: ${parts.join('; ')}`);
}
