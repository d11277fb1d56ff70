// IMAP on a large mailbox: SELECT, UID FETCH 1:* (UID FLAGS), UID SEARCH UNSEEN, and FETCH BODY.PEEK[] throughput,
// against the built server on a fresh store. Prints one summary line.
// Run: npm run build && node dist/bench/imap-fetch.js [messages=100000] [seed=direct|append] [rounds=3]
//      (MAILHIVE_TEST_DB=mariadb for MariaDB; MAILHIVE_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/imapprof" to profile)
// `direct` fills the store before the server starts (bench/imap-seed.ts); `append` uses MULTIAPPEND over IMAP.
// The four commands run `rounds` times in one session (default 3); each figure is the median, and the first
// (cold: fresh process, caches empty) is shown in brackets.
import { ImapBenchClient as Client } from './imap-bench-client.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { seedMailbox } from './imap-seed.js';

const count = Number(process.argv[2] ?? 100_000);
const seedMode = process.argv[3] ?? 'direct';
const rounds = Number(process.argv[4] ?? 3);
const BATCH = 500;

/** One timed command. */
async function run(client: Client, text: string | Buffer[]): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const reply = await client.command(text);
  return { ms: performance.now() - started, bytes: reply.length };
}

function message(i: number): Buffer {
  const body = `Message number ${i}. `.repeat(200).slice(0, 4000);
  return Buffer.from(
    `From: sender${i % 50}@example.com\r\nTo: bench@bench.example\r\nSubject: bench ${i}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <bench-${i}@example.com>\r\n\r\n${body}\r\n`,
  );
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
  const bodies = Math.min(5000, count);
  const samples: { select: number; flags: number; search: number; peek: number; mib: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    const select = await run(client, 'SELECT INBOX');
    const flags = await run(client, 'UID FETCH 1:* (UID FLAGS)');
    const search = await run(client, 'UID SEARCH UNSEEN');
    const peek = await run(client, `FETCH 1:${bodies} (BODY.PEEK[])`);
    const mib = peek.bytes / 1024 / 1024;
    samples.push({ select: select.ms, flags: flags.ms, search: search.ms, peek: peek.ms, mib });
  }
  client.close();
  const figure = (pick: (sample: (typeof samples)[number]) => number, digits = 0) => {
    const sorted = samples.map(pick).sort((a, b) => a - b);
    return `${sorted[Math.floor(sorted.length / 2)].toFixed(digits)} [${pick(samples[0]).toFixed(digits)}]`;
  };
  const mib = samples[0].mib;
  console.log(
    `imap-fetch: ${count} messages on ${process.env.MAILHIVE_TEST_DB ?? 'sqlite'}, median [cold] of ${rounds}: SELECT ${figure((x) => x.select)} ms, ` +
      `UID FETCH 1:* (UID FLAGS) ${figure((x) => x.flags)} ms, UID SEARCH UNSEEN ${figure((x) => x.search)} ms, ` +
      `FETCH BODY.PEEK[] of ${bodies} (${mib.toFixed(1)} MiB) ${figure((x) => x.mib / (x.peek / 1000), 1)} MiB/s; ` +
      `seeded (${seedMode}) at ${(count / seedSeconds).toFixed(0)} msg/s`,
  );
} finally {
  await server.destroy();
}
