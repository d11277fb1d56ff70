// IMAP on a large mailbox: SELECT, UID FETCH 1:* (UID FLAGS), UID SEARCH UNSEEN, and FETCH BODY.PEEK[] throughput,
// against the built server on a fresh store. Prints one summary line.
// Run: npm run build && node dist/bench/imap-fetch.js [messages=100000] [seed=direct|append]
//      (MAILHIVE_TEST_DB=mariadb for MariaDB; MAILHIVE_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/imapprof" to profile)
// `direct` fills the store before the server starts (bench/imap-seed.ts); `append` uses MULTIAPPEND over IMAP.
import { ImapBenchClient as Client } from './imap-bench-client.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { seedMailbox } from './imap-seed.js';

const count = Number(process.argv[2] ?? 100_000);
const seedMode = process.argv[3] ?? 'direct';
const BATCH = 500;

/** One timed command. */
async function run(client: Client, text: string | Buffer[]): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const reply = await client.command(text);
  return { ms: performance.now() - started, bytes: reply.length };
}

function message(i: number): Buffer {
  const body = `Message number ${i}. `.repeat(200).slice(0, 4000);
  return Buffer.from(`From: sender${i % 50}@example.com\r\nTo: bench@bench.example\r\nSubject: bench ${i}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <bench-${i}@example.com>\r\n\r\n${body}\r\n`);
}

const server = await MailhiveProcess.create();
try {
  await server.cli('domain', 'add', 'bench.example');
  await server.cli('user', 'add', 'bench@bench.example', '--password', 'secret123');
  const seedStarted = performance.now();
  if (seedMode === 'direct') {
    await seedMailbox(server.env, { address: 'bench@bench.example', mailbox: 'INBOX', count, message, seen: (i) => i % 3 !== 0 });
  }
  await server.start();
  const client = await Client.open(server.ports.imap);
  await client.command('LOGIN bench@bench.example secret123');
  for (let first = 0; seedMode === 'append' && first < count; first += BATCH) {
    const parts: Buffer[] = [Buffer.from('APPEND INBOX')];
    for (let i = first; i < Math.min(count, first + BATCH); i++) {
      const raw = message(i);
      parts.push(Buffer.from(` ${i % 3 === 0 ? '() ' : '(\\Seen) '}{${raw.length}+}\r\n`), raw);
    }
    await client.command(parts);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const select = await run(client, 'SELECT INBOX');
  const flags = await run(client, 'UID FETCH 1:* (UID FLAGS)');
  const search = await run(client, 'UID SEARCH UNSEEN');
  const bodies = Math.min(5000, count);
  const peek = await run(client, `FETCH 1:${bodies} (BODY.PEEK[])`);
  client.close();
  const mib = peek.bytes / 1024 / 1024;
  console.log(`imap-fetch: ${count} messages on ${process.env.MAILHIVE_TEST_DB ?? 'sqlite'}: SELECT ${select.ms.toFixed(0)} ms, `
    + `UID FETCH 1:* (UID FLAGS) ${flags.ms.toFixed(0)} ms, UID SEARCH UNSEEN ${search.ms.toFixed(0)} ms, `
    + `FETCH BODY.PEEK[] of ${bodies} ${(mib / (peek.ms / 1000)).toFixed(1)} MiB/s (${mib.toFixed(1)} MiB in ${peek.ms.toFixed(0)} ms); `
    + `seeded (${seedMode}) at ${(count / seedSeconds).toFixed(0)} msg/s`);
} finally {
  await server.destroy();
}
