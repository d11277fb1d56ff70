// Start-up to ready: spawn `mailhive start` on a fresh data directory (schema created on first use) until /healthz
// answers. Prints one summary line. Run: npm run build && node dist/bench/startup-time.js [runs]
import { MailhiveProcess } from '../test/support/mailhive-process.js';

const runs = Number(process.argv[2] ?? 5);
const fresh: number[] = [];
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  const server = await MailhiveProcess.create();
  try {
    let started = Date.now();
    await server.start();
    fresh.push(Date.now() - started);
    await server.stop();
    started = Date.now();
    await server.start();
    warm.push(Date.now() - started);
  } finally {
    await server.destroy();
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `startup-time: median ${median(fresh)} ms on a fresh ${process.env.MAILHIVE_TEST_DB ?? 'sqlite'} store, ${median(warm)} ms on an existing one (${runs} runs, spawn to /healthz 200)`,
);
