import { WireSocket } from '../support/wire-socket.js';
import { FUZZ_LIMITS } from './fuzz-limits.js';
import type { FuzzPort, FuzzSession, FuzzStep, StepUntil } from './fuzz-session.js';

export type PortMap = Record<FuzzPort, number>;

/** One line of a transcript: what the client sent (C) or the server answered (S), latin1 text. */
export interface TranscriptEntry {
  dir: 'C' | 'S';
  text: string;
}

export interface SessionResult {
  commands: number;
  /** Steps whose answer did not come within the step timeout (what they sent is in `slowSteps`). */
  timeouts: number;
  slowSteps: string[];
  /** Everything the server sent in this session (up to the transcript limit). */
  received: string;
  transcript: TranscriptEntry[];
  /** Why the session stopped: all steps sent, the server closed it, TLS failed, or the session ran out of time. */
  endedBy: 'steps' | 'server-closed' | 'tls-failed' | 'connect-failed' | 'deadline';
}

/** Whether `text` (what arrived since the step was sent) completes the step. */
export function stepDone(until: StepUntil, text: string): boolean {
  switch (until.kind) {
    case 'none':
      return true;
    case 'line':
      return text.includes('\r\n');
    case 'continuation':
      return text.startsWith('+') || text.includes('\r\n+') || /(?:^|\r\n)\S+ (?:OK|NO|BAD)[^\r\n]*\r\n/.test(text);
    case 'imap-tagged':
      return text.startsWith(`${until.tag} `) ? text.includes('\r\n') : text.includes(`\r\n${until.tag} `) && text.endsWith('\r\n');
    case 'pop3': {
      const end = text.indexOf('\r\n');
      if (end < 0) return false;
      if (!text.startsWith('+OK') || !until.multiline) return true;
      return text.endsWith('\r\n.\r\n');
    }
    case 'smtp':
      return /(?:^|\r\n)\d{3}(?: [^\r\n]*)?\r\n$/.test(text);
  }
}

function successful(step: FuzzStep, text: string): boolean {
  if (step.until.kind === 'imap-tagged') return text.includes(`${step.until.tag} OK`);
  if (step.until.kind === 'pop3') return text.startsWith('+OK');
  return text.startsWith('220');
}

/**
 * Plays a session on a fresh connection: each step is written, then its answer is awaited until it is complete or
 * the step times out (a swallowed or refused command is not an error here; liveness is checked afterwards).
 */
export async function runSession(session: FuzzSession, ports: PortMap): Promise<SessionResult> {
  const transcript: TranscriptEntry[] = [];
  let kept = 0;
  const keep = (dir: 'C' | 'S', bytes: Buffer): void => {
    if (kept >= FUZZ_LIMITS.maxTranscriptBytes) return;
    const text = bytes.subarray(0, FUZZ_LIMITS.maxTranscriptBytes - kept).toString('latin1');
    kept += text.length;
    transcript.push({ dir, text });
  };
  let received = '';
  let wire: WireSocket;
  try {
    wire = await WireSocket.open(ports[session.port], session.port === 'smtps');
  } catch {
    return { commands: 0, timeouts: 0, slowSteps: [], received, transcript, endedBy: 'connect-failed' };
  }
  let since = '';
  const drain = (): void => {
    if (wire.unread.length === 0) return;
    const bytes = wire.take(wire.unread.length);
    keep('S', bytes);
    const text = bytes.toString('latin1');
    if (received.length < FUZZ_LIMITS.maxTranscriptBytes) received += text;
    since += text;
  };
  let timeouts = 0;
  const slowSteps: string[] = [];
  const wait = async (until: StepUntil, step?: FuzzStep): Promise<void> => {
    try {
      await wire.until(() => {
        drain();
        return stepDone(until, since) ? true : undefined;
      }, FUZZ_LIMITS.stepTimeoutMs);
    } catch {
      // The step timed out (a swallowed command, a literal still awaited): move on.
      timeouts++;
      if (step) slowSteps.push(step.send.subarray(0, 80).toString('latin1'));
    }
  };
  let commands = 0;
  let endedBy: SessionResult['endedBy'] = 'steps';
  try {
    await wait(session.port === 'imap' || session.port === 'pop3' ? { kind: 'line' } : { kind: 'smtp' });
    const deadline = Date.now() + FUZZ_LIMITS.sessionTimeoutMs;
    for (const step of session.steps) {
      if (Date.now() > deadline) {
        endedBy = 'deadline';
        break;
      }
      if (wire.closed) {
        endedBy = 'server-closed';
        break;
      }
      since = '';
      keep('C', step.send);
      wire.write(step.send);
      commands++;
      await wait(step.until, step);
      if (step.startTls && successful(step, since)) {
        try {
          await Promise.race([
            wire.startTls(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('TLS timeout')), FUZZ_LIMITS.stepTimeoutMs * 4)),
          ]);
        } catch {
          endedBy = 'tls-failed';
          break;
        }
      }
    }
    if (endedBy === 'steps') {
      since = '';
      await wait({ kind: 'none' });
    }
  } finally {
    drain();
    wire.close();
  }
  return { commands, timeouts, slowSteps, received, transcript, endedBy };
}
