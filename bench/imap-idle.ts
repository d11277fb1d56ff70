// Idle IMAP sessions: connections log in, SELECT INBOX and IDLE, in steps up to the largest count (default 1,000 then
// 10,000). At each step: the server's resident memory (from /metrics) and the IDLE push latency, the time from a
// message's APPEND (by one more session) until every idle session has read its `* n EXISTS` (p50, p99, max over
// the sessions, median of three pushes). Prints one summary line.
// Run: npm run build && node dist/bench/imap-idle.js [counts=1000,10000]
// Each session holds a descriptor in this process and in the server: with `ulimit -n` below 2.5x the largest count,
// the script runs itself again under a raised limit (as far as the hard limit allows).
import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { ImapBenchClient } from './imap-bench-client.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';

const counts = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const largest = Math.max(...counts);
const PARALLEL = 16;
const PUSHES = Number(process.env.IDLE_PUSHES ?? 3);

function openFileLimit(): number {
  return Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
}

if (openFileLimit() < largest * 2.5 && !process.env.MAILHIVE_BENCH_RAISED_LIMIT) {
  const wanted = Math.ceil(largest * 2.5);
  const script = `ulimit -n ${wanted} 2>/dev/null || ulimit -n $(ulimit -Hn); exec "$0" "$@"`;
  const child = spawnSync('sh', ['-c', script, process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MAILHIVE_BENCH_RAISED_LIMIT: '1' },
  });
  process.exit(child.status ?? 1);
}

async function residentBytes(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = /^mailhive_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  if (!match) throw new Error('no resident memory metric');
  return Number(match[1]);
}

/** One idle session: logs in, selects, idles, then notes when it reads an EXISTS. */
class IdleSession {
  private text = '';
  private wake: (() => void) | null = null;
  /** performance.now() of the last EXISTS read while idling. */
  lastExists = 0;
  private idling = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.idling) {
        if (chunk.includes(' EXISTS\r\n')) this.lastExists = performance.now();
        return;
      }
      this.text += chunk.toString('latin1');
      this.wake?.();
    });
  }

  static async open(port: number): Promise<IdleSession> {
    const session = new IdleSession(connect({ port, host: '127.0.0.1' }));
    await session.step(null, /\r\n$/);
    await session.step('a LOGIN idle@idle.example secret123\r\n', /a OK [^\r\n]*\r\n$/);
    await session.step('b SELECT INBOX\r\n', /b OK [^\r\n]*\r\n$/);
    await session.step('c IDLE\r\n', /\+ [^\r\n]*\r\n$/);
    session.idling = true;
    return session;
  }

  private async step(line: string | null, until: RegExp): Promise<void> {
    if (line) this.socket.write(line);
    while (!until.test(this.text)) {
      if (this.socket.destroyed || /^\S+ (NO|BAD) /m.test(this.text)) throw new Error(`session refused: ${this.text}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    this.text = '';
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

// Logins in flight count against the lockout until they succeed (core/accounts/login-throttle): sixteen at once for
// one user from one address would lock it, so the bench raises the threshold.
const server = await MailhiveProcess.create({ MAILHIVE_AUTH_MAX_FAILURES: '1000' });
const sessions: IdleSession[] = [];
try {
  await server.start();
  await server.cli('domain', 'add', 'idle.example');
  await server.cli('user', 'add', 'idle@idle.example', '--password', 'secret123');
  const pusher = await ImapBenchClient.open(server.ports.imap);
  await pusher.command('LOGIN idle@idle.example secret123');
  const baseline = await residentBytes(server.ports.http);
  const results: string[] = [];
  let pushed = 0;
  for (const count of counts) {
    const opened = performance.now();
    let next = sessions.length;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < count) {
          next++;
          sessions.push(await IdleSession.open(server.ports.imap));
        }
      }),
    );
    const openSeconds = (performance.now() - opened) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rss = await residentBytes(server.ports.http);
    const pushes: { p50: number; p99: number; max: number }[] = [];
    for (let i = 0; i < PUSHES; i++) {
      const raw = `From: push@idle.example\r\nSubject: push ${++pushed}\r\n\r\nwake up\r\n`;
      const sent = performance.now();
      await pusher.command(`APPEND INBOX {${raw.length}+}\r\n${raw}`);
      const deadline = sent + 30_000;
      while (sessions.some((session) => session.lastExists < sent) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const latencies = sessions
        .map((session) => (session.lastExists >= sent ? session.lastExists - sent : Infinity))
        .sort((a, b) => a - b);
      pushes.push({ p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1] });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const mid = pushes.sort((a, b) => a.max - b.max)[Math.floor(pushes.length / 2)];
    results.push(
      `${count} sessions: RSS ${(rss / 1048576).toFixed(0)} MiB (+${((rss - baseline) / count / 1024).toFixed(1)} KiB each), ` +
        `push p50 ${mid.p50.toFixed(0)} ms, p99 ${mid.p99.toFixed(0)} ms, max ${mid.max.toFixed(0)} ms (opened in ${openSeconds.toFixed(1)} s)`,
    );
  }
  pusher.close();
  console.log(`imap-idle: ${results.join('; ')}; idle server RSS before sessions ${(baseline / 1048576).toFixed(0)} MiB`);
} finally {
  for (const session of sessions) session.socket.destroy();
  await server.destroy();
}
