import { readFileSync, writeFileSync } from 'node:fs';
import type { FuzzPort, FuzzProtocol, FuzzSession, StepUntil } from './fuzz-session.js';
import type { TranscriptEntry } from './session-runner.js';

export type FindingKind = 'death' | 'hang' | 'leak';

/** A finding written to disk: how to regenerate the run up to it, the failing session itself and its transcript. */
export interface ReplayFile {
  format: 'mailhive-fuzz-replay/1';
  kind: FindingKind;
  detail: string;
  seed: string;
  protocol: FuzzProtocol | 'all';
  database: string;
  /** Sessions 0 .. failing.index - 1 are regenerated from the seed on replay. */
  failing: {
    index: number;
    protocol: FuzzProtocol;
    port: FuzzPort;
    steps: { send: string; until: StepUntil; startTls?: boolean; mutation?: string }[];
  };
  transcript: TranscriptEntry[];
  serverLog: string;
}

export function writeReplayFile(file: string, finding: Omit<ReplayFile, 'format' | 'failing'>, session: FuzzSession): void {
  const failing = {
    index: session.index,
    protocol: session.protocol,
    port: session.port,
    steps: session.steps.map((step) => ({ ...step, send: step.send.toString('base64') })),
  };
  writeFileSync(file, JSON.stringify({ format: 'mailhive-fuzz-replay/1', ...finding, failing }, null, 1));
}

export function readReplayFile(file: string): { file: ReplayFile; session: FuzzSession } {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ReplayFile;
  if (parsed.format !== 'mailhive-fuzz-replay/1') throw new Error(`${file}: not a fuzz replay file`);
  const { failing } = parsed;
  const session: FuzzSession = {
    index: failing.index,
    protocol: failing.protocol,
    port: failing.port,
    steps: failing.steps.map((step) => ({ ...step, send: Buffer.from(step.send, 'base64') })),
  };
  return { file: parsed, session };
}
