import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FUZZ_LIMITS } from './fuzz-limits.js';
import type { FuzzProtocol, FuzzSession } from './fuzz-session.js';
import type { FuzzTarget } from './fuzz-target.js';
import { findLeak } from './leak-check.js';
import { checkLiveness, type Liveness } from './liveness.js';
import { writeReplayFile, type FindingKind } from './replay-file.js';
import { runSession, type SessionResult } from './session-runner.js';

export interface FuzzStats {
  sessions: number;
  commands: number;
  deaths: number;
  hangs: number;
  leaks: number;
}

export interface Finding {
  kind: FindingKind;
  detail: string;
  session: number;
  file: string;
}

export interface CampaignSettings {
  seed: string;
  protocol: FuzzProtocol | 'all';
  outDir: string;
  /** Sessions are started until this time (ms since the epoch); the one running then finishes. */
  until: number;
  verbose: boolean;
}

/**
 * Plays sessions against the target one after another. After each one: the replies must hold no leak, and a fresh
 * connection must be greeted and answered; a death or a hang stops the run, a leak is counted and the run goes on.
 */
export async function runCampaign(
  target: FuzzTarget,
  next: (index: number) => FuzzSession | null,
  settings: CampaignSettings,
): Promise<{ stats: FuzzStats; findings: Finding[] }> {
  const stats: FuzzStats = { sessions: 0, commands: 0, deaths: 0, hangs: 0, leaks: 0 };
  const findings: Finding[] = [];
  mkdirSync(settings.outDir, { recursive: true });
  const record = (kind: FindingKind, detail: string, session: FuzzSession, result: SessionResult, extra = ''): void => {
    const file = join(settings.outDir, `fuzz-${kind}-${safe(settings.seed)}-${session.index}-${Date.now()}.json`);
    writeReplayFile(
      file,
      {
        kind,
        detail,
        seed: settings.seed,
        protocol: settings.protocol,
        database: target.database,
        transcript: extra ? [...result.transcript, { dir: 'S', text: `[liveness probe] ${extra}` }] : result.transcript,
        serverLog: target.server.logs().slice(-20_000),
      },
      session,
    );
    findings.push({ kind, detail, session: session.index, file });
  };
  for (let index = 0; Date.now() < settings.until; index++) {
    const session = next(index);
    if (!session) break;
    const result = await runSession(session, target.ports);
    stats.sessions++;
    stats.commands += result.commands;
    if (settings.verbose) {
      process.stdout.write(
        `session ${session.index} ${session.protocol}/${session.port}: ${result.commands} commands, ${result.timeouts} unanswered, ${result.endedBy}\n`,
      );
      for (const step of result.slowSteps) process.stdout.write(`  unanswered: ${JSON.stringify(step)}\n`);
    }
    const leak = findLeak(result.received, target.secretPaths);
    if (leak) {
      stats.leaks++;
      if (stats.leaks <= FUZZ_LIMITS.maxLeakFiles) record('leak', `${leak.name}: ${JSON.stringify(leak.excerpt)}`, session, result);
    }
    const live = await liveness(target, session.protocol);
    if (live.ok) continue;
    const dead = await exited(target, FUZZ_LIMITS.exitNoticeMs);
    if (dead) stats.deaths++;
    else stats.hangs++;
    record(dead ? 'death' : 'hang', live.detail, session, result, live.received);
    break;
  }
  return { stats, findings };
}

/** Liveness with one second try: a probe that lost a race with the previous session's close is not a hang. */
async function liveness(target: FuzzTarget, protocol: FuzzProtocol): Promise<Liveness> {
  const first = await checkLiveness(protocol, target.ports, FUZZ_LIMITS.livenessDeadlineMs);
  if (first.ok || !target.server.running) return first;
  return checkLiveness(protocol, target.ports, FUZZ_LIMITS.livenessDeadlineMs);
}

/** Whether the server has exited, waiting a moment: a refused connection can come before the exit is noticed. */
async function exited(target: FuzzTarget, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (target.server.running && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !target.server.running;
}

function safe(text: string): string {
  return [...text]
    .map((char) => (/[\w.-]/.test(char) ? char : '_'))
    .join('')
    .slice(0, 40);
}
