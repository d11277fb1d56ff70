// IMAP under concurrent load: N raw-socket clients (default 10) in a mixed loop (LOGIN, SELECT, FETCH flags and
// MODSEQ, STORE of flags and keywords, APPEND, EXPUNGE, LOGOUT) on one mailbox while M SMTP senders (default 10)
// deliver to it, every response checked against what each client was told. Prints one summary line: commands per
// second and protocol violations by kind (then a few examples of each kind seen).
// Run: npm run build && node dist/bench/imap-stress.js [seconds=60] [clients=10] [senders=10]   (MAILHIVE_TEST_DB=mariadb)
import { formatStressSummary, runImapStress, startStressServer } from '../test/support/imap-stress.js';

const seconds = Number(process.argv[2] ?? 60);
const clients = Number(process.argv[3] ?? 10);
const senders = Number(process.argv[4] ?? 10);

const server = await startStressServer();
try {
  const result = await runImapStress({ imapPort: server.ports.imap, smtpPort: server.ports.smtp, seconds, clients, senders });
  console.log(
    `imap-stress ${process.env.MAILHIVE_TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite'} ${clients} clients ${senders} senders: ${formatStressSummary(result)}`,
  );
  for (const sample of result.samples) console.log(`  ${sample.kind}: ${sample.detail}`);
  for (const failure of result.failureSamples) console.log(`  failure: ${failure}`);
} finally {
  await server.destroy();
}
