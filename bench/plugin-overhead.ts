// Issue 24's plugin overhead: SMTP intake (4 KB messages, one per connection, `connections` at a time, into one
// mailbox) with every shipped plugin that runs on port 25 enabled (anti-virus against a local clamd with a one-line
// signature database, anti-spam, vacation, disclaimer) against the same server with none. Prints one summary line.
// Run: npm run build && node dist/bench/plugin-overhead.js [messages=2000] [connections=20] [warm-up=500]
//      (MAILHIVE_TEST_DB=mariadb for MariaDB; without /usr/sbin/clamd the anti-virus plugin is left out)
import { ClamdServer } from '../test/support/clamd-server.js';
import type { MailhiveProcess } from '../test/support/mailhive-process.js';
import { TEST_DB } from '../test/support/test-database.js';
import { benchMessage, InboxCounter, RECIPIENT, startBenchServer } from './smtp-bench-support.js';
import { sendOne } from './smtp-source.js';

const count = Number(process.argv[2] ?? 2000);
const connections = Number(process.argv[3] ?? 20);
const warmUp = Number(process.argv[4] ?? 500);

async function intake(server: MailhiveProcess): Promise<number> {
  const counter = await InboxCounter.open(server);
  let next = 0;
  const send = async (last: number) => {
    const worker = async () => {
      while (next < last) await sendOne(server.ports.smtp, 'load@outside.example', RECIPIENT, benchMessage(next++, 4096));
    };
    await Promise.all(Array.from({ length: connections }, worker));
  };
  try {
    await send(warmUp);
    await counter.waitFor(warmUp);
    const started = performance.now();
    await send(warmUp + count);
    await counter.waitFor(warmUp + count);
    return count / ((performance.now() - started) / 1000);
  } finally {
    await counter.close();
  }
}

const clamd = ClamdServer.available() ? new ClamdServer() : null;
await clamd?.start();
try {
  const bare = await startBenchServer();
  let none: number;
  try {
    none = await intake(bare);
  } finally {
    await bare.destroy();
  }
  const plugins = [...(clamd ? ['anti-virus'] : []), 'anti-spam', 'vacation', 'disclaimer'];
  const loaded = await startBenchServer(0, { MAILHIVE_PLUGINS: plugins.join(',') }, async (server) => {
    if (clamd) await server.cli('plugin', 'set', 'anti-virus', `clamd=${clamd.socket}`);
  });
  let all: number;
  try {
    all = await intake(loaded);
  } finally {
    await loaded.destroy();
  }
  const lost = ((none - all) / none) * 100;
  console.log(
    `plugin-overhead (${TEST_DB}): ${count} messages of 4 KB over ${connections} connections after ${warmUp} warm-up: no plugins ${none.toFixed(0)} messages/s, with ${plugins.join(', ')} ${all.toFixed(0)} messages/s = ${lost.toFixed(1)} % lost`,
  );
} finally {
  await clamd?.destroy();
}
