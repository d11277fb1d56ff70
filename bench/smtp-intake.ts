// Issue 3's intake figure: N messages of 4 KB over 20 concurrent connections, one message per connection, into one
// local mailbox; messages/s until the last one is stored and visible. Prints one summary line.
// Run: npm run build && node dist/bench/smtp-intake.js [messages=5000] [connections=20]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import { TEST_DB } from '../test/support/test-database.js';
import { benchMessage, InboxCounter, RECIPIENT, startBenchServer } from './smtp-bench-support.js';
import { sendOne } from './smtp-source.js';

const count = Number(process.argv[2] ?? 5000);
const connections = Number(process.argv[3] ?? 20);
const server = await startBenchServer();
const counter = await InboxCounter.open(server);
try {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      // A new connection per message, as MX traffic arrives.
      await sendOne(server.ports.smtp, 'load@outside.example', RECIPIENT, benchMessage(i, 4096));
    }
  };
  const started = performance.now();
  const cpuBefore = server.cpuSeconds();
  const clientBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: connections }, worker));
  await counter.waitFor(count);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = server.cpuSeconds();
  const client = process.cpuUsage(clientBefore);
  const perMessage = (seconds: number) => ((seconds * 1000) / count).toFixed(2);
  console.log(`smtp-intake (${TEST_DB}): ${count} messages of 4 KB over ${connections} connections, one per connection, stored and visible in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} messages/s; server CPU ${perMessage(cpuAfter.process - cpuBefore.process)} ms/message (main thread ${perMessage(cpuAfter.mainThread - cpuBefore.mainThread)}), client ${perMessage((client.user + client.system) / 1e6)}`);
} finally {
  await counter.close();
  await server.destroy();
}
