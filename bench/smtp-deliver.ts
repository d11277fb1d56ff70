// Sequential SMTP deliveries over one connection (nodemailer, MX port) into one local mailbox; each is answered
// 250 only after it is stored. Prints one summary line.
// Run: npm run build && node dist/bench/smtp-deliver.js [messages=1000]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import nodemailer from 'nodemailer';
import { TEST_DB } from '../test/support/test-database.js';
import { benchMessage, RECIPIENT, startBenchServer } from './smtp-bench-support.js';

const count = Number(process.argv[2] ?? 1000);
const server = await startBenchServer();
try {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.ports.smtp,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
  });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await transport.sendMail({ envelope: { from: 'load@outside.example', to: [RECIPIENT] }, raw: benchMessage(i, 4096) });
  }
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  console.log(
    `smtp-deliver (${TEST_DB}): ${count} messages of 4 KB sequentially over one connection in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} messages/s`,
  );
} finally {
  await server.destroy();
}
