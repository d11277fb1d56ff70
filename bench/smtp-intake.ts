// Issue 3's intake figure: N messages of 4 KB over 20 concurrent connections, one message per connection, into one
// local mailbox; messages/s until the last one is stored and visible. Prints one summary line.
// Run: npm run build && node dist/bench/smtp-intake.js [messages=5000] [connections=20]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import nodemailer from 'nodemailer';
import { TEST_DB } from '../test/support/test-database.js';
import { benchMessage, InboxCounter, RECIPIENT, startBenchServer } from './smtp-bench-support.js';

const count = Number(process.argv[2] ?? 5000);
const connections = Number(process.argv[3] ?? 20);
const server = await startBenchServer();
const counter = await InboxCounter.open(server);
try {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      // A fresh transport per message: one message per connection, as MX traffic arrives.
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true });
      await transport.sendMail({ envelope: { from: 'load@outside.example', to: [RECIPIENT] }, raw: benchMessage(i, 4096) });
      transport.close();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  await counter.waitFor(count);
  const seconds = (performance.now() - started) / 1000;
  console.log(`smtp-intake (${TEST_DB}): ${count} messages of 4 KB over ${connections} connections, one per connection, stored and visible in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} messages/s`);
} finally {
  await counter.close();
  await server.destroy();
}
