// Issue 3's intake figure: N messages of 4 KB over 20 concurrent connections, one message per connection, into one
// local mailbox; messages/s until the last one is stored and visible. Prints one summary line.
// The server first takes a warm-up round (not timed) of the same traffic, as a long-running MX has: a cold process
// spends about a millisecond per message of its first thousands compiling hot code, which says nothing of its speed.
// `existing` messages are put in the mailbox before the server starts, to show how intake cost grows with its size.
// Run: npm run build && node dist/bench/smtp-intake.js [messages=5000] [connections=20] [warm-up=2000] [existing=0]
//      (MAILHIVE_TEST_DB=mariadb for MariaDB)
import { TEST_DB } from '../test/support/test-database.js';
import { benchMessage, InboxCounter, RECIPIENT, startBenchServer } from './smtp-bench-support.js';
import { sendOne } from './smtp-source.js';

const count = Number(process.argv[2] ?? 5000);
const connections = Number(process.argv[3] ?? 20);
const warmUp = Number(process.argv[4] ?? 2000);
const existing = Number(process.argv[5] ?? 0);
const server = await startBenchServer(existing);
const counter = await InboxCounter.open(server);
/** Sends messages first..last-1, each over a new connection as MX traffic arrives, `connections` at a time. */
async function send(first: number, last: number): Promise<void> {
  let next = first;
  const worker = async () => {
    while (next < last) await sendOne(server.ports.smtp, 'load@outside.example', RECIPIENT, benchMessage(next++, 4096));
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

try {
  await send(0, warmUp);
  await counter.waitFor(existing + warmUp);
  const started = performance.now();
  const cpuBefore = server.cpuSeconds();
  const clientBefore = process.cpuUsage();
  await send(warmUp, warmUp + count);
  await counter.waitFor(existing + warmUp + count);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = server.cpuSeconds();
  const client = process.cpuUsage(clientBefore);
  const perMessage = (seconds: number) => ((seconds * 1000) / count).toFixed(2);
  console.log(
    `smtp-intake (${TEST_DB}): ${count} messages of 4 KB over ${connections} connections, one per connection, after ${warmUp} warm-up messages${existing ? `, into a mailbox already holding ${existing}` : ''}, stored and visible in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} messages/s; server CPU ${perMessage(cpuAfter.process - cpuBefore.process)} ms/message (main thread ${perMessage(cpuAfter.mainThread - cpuBefore.mainThread)}), client ${perMessage((client.user + client.system) / 1e6)}`,
  );
} finally {
  await counter.close();
  await server.destroy();
}
