// SELECT and UID FETCH 1:* (FLAGS) on a 100,000-message mailbox: what a desktop client does when it opens a large
// folder. The mailbox is seeded straight into the store (bench/imap-seed.ts) before the server starts; one session
// then runs both commands `rounds` times. Prints one summary line: medians, the first (cold) run in brackets.
// Run: npm run build && node dist/bench/imap-select.js [messages=100000] [rounds=7]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import { ImapBenchClient as Client } from './imap-bench-client.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { seedMailbox } from './imap-seed.js';

const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 7);

function message(i: number): Buffer {
  return Buffer.from(
    `From: sender${i % 50}@example.com\r\nTo: bench@bench.example\r\nSubject: select ${i}\r\n` +
      `Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <select-${i}@example.com>\r\n\r\nBody of message ${i}.\r\n`,
  );
}

async function timed(client: Client, text: string): Promise<{ ms: number; reply: Buffer }> {
  const started = performance.now();
  const reply = await client.command(text);
  return { ms: performance.now() - started, reply };
}

const server = await MailhiveProcess.create();
try {
  await server.cli('domain', 'add', 'bench.example');
  await server.cli('user', 'add', 'bench@bench.example', '--password', 'secret123');
  await seedMailbox(server.env, { address: 'bench@bench.example', mailbox: 'INBOX', count, message, seen: (i) => i % 3 !== 0 });
  await server.start();
  const client = await Client.open(server.ports.imap);
  await client.command('LOGIN bench@bench.example secret123');
  const select: number[] = [];
  const flags: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const selected = await timed(client, 'SELECT INBOX');
    if (!selected.reply.includes(`* ${count} EXISTS`)) throw new Error(`SELECT did not report ${count} messages`);
    select.push(selected.ms);
    const fetched = await timed(client, 'UID FETCH 1:* (FLAGS)');
    const lines = fetched.reply
      .toString('latin1')
      .split('\r\n')
      .filter((line) => line.startsWith('* ')).length;
    if (lines !== count) throw new Error(`UID FETCH returned ${lines} of ${count} messages`);
    flags.push(fetched.ms);
  }
  client.close();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    `imap-select: ${count} messages on ${process.env.MAILHIVE_TEST_DB ?? 'sqlite'}, median [cold] of ${rounds}: ` +
      `SELECT ${median(select).toFixed(1)} ms [${select[0].toFixed(1)}], UID FETCH 1:* (FLAGS) ${median(flags).toFixed(0)} ms [${flags[0].toFixed(0)}]`,
  );
} finally {
  await server.destroy();
}
