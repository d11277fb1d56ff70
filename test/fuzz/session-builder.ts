import { FUZZ_LIMITS } from './fuzz-limits.js';
import type { FuzzPort, FuzzProtocol, FuzzSession, FuzzStep, StepUntil } from './fuzz-session.js';
import { mutateLine } from './mutations.js';
import type { Prng } from './prng.js';

/**
 * Collects the steps of one session within the byte budget. `line` sends one command, mutated with the given
 * probability; once a mutation truncates a command the session is over (`ended`), as a client that hung up would be.
 */
export class SessionBuilder {
  readonly steps: FuzzStep[] = [];
  ended = false;
  private bytes = 0;

  constructor(
    readonly prng: Prng,
    private readonly index: number,
    private readonly protocol: FuzzProtocol,
    private readonly port: FuzzPort,
  ) {}

  get full(): boolean {
    return this.ended || this.bytes >= FUZZ_LIMITS.maxSessionBytes;
  }

  /** A command line; `prefix` (an IMAP tag) stays intact so the answer can still be recognised. */
  line(text: string, until: StepUntil, options: { mutate?: number; prefix?: string; startTls?: boolean } = {}): void {
    if (this.full) return;
    const prefix = options.prefix ?? '';
    if (options.mutate !== undefined && this.prng.chance(options.mutate)) {
      const mutated = mutateLine(this.prng, text);
      this.raw(Buffer.concat([Buffer.from(prefix, 'latin1'), mutated.bytes]), mutated.truncated ? { kind: 'none' } : until, mutated.name);
      if (mutated.truncated) this.ended = true;
      return;
    }
    this.raw(Buffer.from(`${prefix}${text}\r\n`, 'latin1'), until, undefined, options.startTls);
  }

  /** Bytes as they are (literal bodies, message data, hand-made hostile input). */
  raw(send: Buffer, until: StepUntil, mutation?: string, startTls?: boolean): void {
    if (this.full) return;
    const room = FUZZ_LIMITS.maxSessionBytes - this.bytes;
    const bounded = send.length > room ? send.subarray(0, room) : send;
    this.bytes += bounded.length;
    this.steps.push({ send: bounded, until, ...(mutation ? { mutation } : {}), ...(startTls ? { startTls } : {}) });
  }

  build(): FuzzSession {
    return { index: this.index, protocol: this.protocol, port: this.port, steps: this.steps };
  }
}
