import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCampaign, type Finding, type FuzzStats } from './fuzz-campaign.js';
import { generateSession } from './fuzz-generator.js';
import { parseFuzzOptions, USAGE, type FuzzOptions } from './fuzz-options.js';
import type { FuzzSession } from './fuzz-session.js';
import { FuzzTarget } from './fuzz-target.js';
import { readReplayFile } from './replay-file.js';
import { loggedErrors } from './server-errors.js';
import { TEST_DB } from '../support/test-database.js';

// `npm run fuzz -- --protocol smtp|pop3|imap|all --seconds N --seed S`: mutated protocol sessions against a
// Mailhive of its own on loopback; exits 1 on any death, hang or leak, 2 on a usage error.

/** Extra time past --seconds for the last session, the liveness check and shutting the server down. */
const SHUTDOWN_GRACE_MS = 90_000;

function replayCommand(file: string): string {
  return `${TEST_DB === 'mariadb' ? 'MAILHIVE_TEST_DB=mariadb ' : ''}npm run fuzz -- --replay ${file}`;
}

function summary(options: FuzzOptions, stats: FuzzStats, seconds: number): string {
  return `fuzz: protocol=${options.protocol} seed=${options.seed} db=${TEST_DB} seconds=${seconds.toFixed(1)} sessions=${stats.sessions} commands=${stats.commands} deaths=${stats.deaths} hangs=${stats.hangs} leaks=${stats.leaks}`;
}

async function main(): Promise<number> {
  const parsed = parseFuzzOptions(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n${USAGE}\n`);
    return 2;
  }
  const options = parsed;
  let next: (index: number) => FuzzSession | null;
  if (options.replay) {
    const { file, session } = readReplayFile(options.replay);
    if (file.database !== TEST_DB) process.stderr.write(`note: the finding was made on ${file.database}, this replay runs on ${TEST_DB}\n`);
    process.stdout.write(
      `replaying ${file.kind} (${file.detail}) of seed ${file.seed}: ${options.lastOnly ? 'the failing session only' : `${session.index} sessions, then the failing one`}\n`,
    );
    Object.assign(options, { seed: file.seed, protocol: file.protocol, seconds: FUZZ_LIMITS_REPLAY_SECONDS });
    const first = options.lastOnly ? session.index : 0;
    next = (index) => {
      const at = first + index;
      if (at < session.index) return generateSession(file.seed, file.protocol, at);
      return at === session.index ? session : null;
    };
  } else {
    next = (index) => (index < options.sessions ? generateSession(options.seed, options.protocol, index) : null);
  }
  const outDir = resolve(options.outDir ?? join(tmpdir(), 'mailhive-fuzz'));
  const target = await FuzzTarget.start();
  // --seconds counts fuzzing time: starting and seeding the server come first.
  const started = Date.now();
  // Whatever happens, the run ends: a server stuck in a loop is killed and the process exits.
  const watchdog = setTimeout(
    () => {
      process.stderr.write('fuzz: the run overran its time; killing the server\n');
      if (target.server.pid) process.kill(target.server.pid, 'SIGKILL');
      process.exit(3);
    },
    options.seconds * 1000 + SHUTDOWN_GRACE_MS,
  );
  watchdog.unref();
  let result: { stats: FuzzStats; findings: Finding[] };
  try {
    result = await runCampaign(target, next, {
      seed: options.seed,
      protocol: options.protocol,
      outDir,
      until: started + options.seconds * 1000,
      verbose: options.verbose,
    });
  } finally {
    await target.destroy();
  }
  for (const finding of result.findings) {
    process.stdout.write(
      `${finding.kind} after session ${finding.session}: ${finding.detail}\n  transcript: ${finding.file}\n  replay: ${replayCommand(finding.file)}\n`,
    );
  }
  const errors = loggedErrors(target.server.logs());
  if (errors.size > 0) {
    const listed = [...errors]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([message, count]) => `${JSON.stringify(message)} x${count}`);
    process.stdout.write(`server logged errors (not counted as findings): ${listed.join(', ')}\n`);
  }
  process.stdout.write(`${summary(options, result.stats, (Date.now() - started) / 1000)}\n`);
  const { deaths, hangs, leaks } = result.stats;
  return deaths + hangs + leaks > 0 ? 1 : 0;
}

/** A replay is bounded by its sessions, not by time; this only caps it. */
const FUZZ_LIMITS_REPLAY_SECONDS = 3600;

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(3);
  },
);
