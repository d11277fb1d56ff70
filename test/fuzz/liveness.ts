import { WireSocket } from '../support/wire-socket.js';
import type { FuzzProtocol } from './fuzz-session.js';
import type { PortMap } from './session-runner.js';

/** What a fresh client sends to see that the server still answers, and what counts as the answer. */
const PROBES: Readonly<Record<FuzzProtocol, { greeting: RegExp; noop: string; answer: RegExp }>> = {
  imap: { greeting: /^\* (?:OK|PREAUTH)[^\r\n]*\r\n/, noop: 'L1 NOOP\r\n', answer: /(?:^|\r\n)L1 OK[^\r\n]*\r\n/ },
  // NOOP is a TRANSACTION command (RFC 1939 §5): before login any status line is an answer.
  pop3: { greeting: /^\+OK[^\r\n]*\r\n/, noop: 'NOOP\r\n', answer: /^(?:\+OK|-ERR)[^\r\n]*\r\n/ },
  smtp: { greeting: /(?:^|\r\n)220 [^\r\n]*\r\n/, noop: 'NOOP\r\n', answer: /(?:^|\r\n)250[ -][^\r\n]*\r\n/ },
};

export interface Liveness {
  ok: boolean;
  /** What went wrong, for the report. */
  detail: string;
  /** What the probe received. */
  received: string;
}

/** A fresh connection gets its greeting and its NOOP answered within `deadlineMs` in all. */
export async function checkLiveness(protocol: FuzzProtocol, ports: PortMap, deadlineMs: number): Promise<Liveness> {
  const probe = PROBES[protocol];
  const deadline = Date.now() + deadlineMs;
  let wire: WireSocket;
  try {
    wire = await Promise.race([
      WireSocket.open(ports[protocol]),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('connect timed out')), deadlineMs)),
    ]);
  } catch (error) {
    return { ok: false, detail: `${protocol}: cannot connect (${(error as Error).message})`, received: '' };
  }
  let text = '';
  const read = (pattern: RegExp) =>
    wire.until(
      () => {
        text = wire.unread.toString('latin1');
        return pattern.test(text) ? wire.take(wire.unread.length).toString('latin1') : undefined;
      },
      Math.max(1, deadline - Date.now()),
    );
  try {
    const greeting = await read(probe.greeting);
    if (greeting === undefined) return { ok: false, detail: `${protocol}: closed before the greeting`, received: text };
    wire.write(probe.noop);
    const answer = await read(probe.answer);
    if (answer === undefined) return { ok: false, detail: `${protocol}: closed before answering NOOP`, received: greeting + text };
    return { ok: true, detail: '', received: greeting + answer };
  } catch {
    return { ok: false, detail: `${protocol}: no greeting and NOOP answer within ${deadlineMs} ms`, received: text };
  } finally {
    wire.close();
  }
}
