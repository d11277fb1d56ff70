import type { Duplex } from 'node:stream';
import { IMAP_LIMITS } from './imap-limits.js';
import { framingLimits, type FramingLimits } from './literal-policy.js';

/** What the framer knows about a literal before reading it. */
export interface LiteralRequest {
  tag: string;
  /** Verb of the command, upper case (`APPEND`, `UID FETCH`...). */
  verb: string;
  size: number;
  /** `{n+}` or `{n-}` (RFC 7888): the client sends the bytes without waiting for "+". */
  nonSync: boolean;
  /** Literals already read in this command. */
  index: number;
  /** Octets of this command so far: its lines and the literals that are not APPEND messages. */
  commandBytes: number;
  /** APPEND messages already read in this command, and their octets. */
  messages: number;
  messageBytes: number;
  /** The line that announces the literal (after the previous literal, if any). */
  line: Buffer;
}

/**
 * Accepts a literal (`message`: an APPEND message, counted apart from the command's other octets), or refuses it
 * with a full tagged response line (without CRLF) before any byte is read.
 */
export type LiteralDecision = { accept: true; message?: boolean } | { accept: false; response: string };

export type LiteralGate = (request: LiteralRequest) => Promise<LiteralDecision>;

export type Frame =
  | { kind: 'command'; bytes: Buffer }
  /** Input that cannot be a command; `response` is the complete tagged or untagged reply. `fatal` closes the session. */
  | { kind: 'error'; response: string; fatal: boolean }
  | { kind: 'end' };

const LITERAL_AT_END = /(~?)\{(\d{1,20})([+-]?)\}\r?\n$/;

/** `{n+}` (LITERAL+) and `{n-}` (LITERAL-) are both sent without waiting for "+" (RFC 7888 §4, §5). */
function nonSynchronising(tail: string): boolean {
  const mark = LITERAL_AT_END.exec(tail)?.[3];
  return mark === '+' || mark === '-';
}

/**
 * Framing: bytes → complete commands (lines with their literals inline), enforcing the line and literal
 * limits. Sends the "+" continuation for synchronising literals only after the gate accepted them, so a
 * refused literal is never transmitted (RFC 3501 §7.5).
 */
export class ImapStream {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private waiter: (() => void) | null = null;
  private socket: Duplex;

  constructor(
    socket: Duplex,
    private readonly gate: LiteralGate,
    private readonly sendContinuation: (text: string) => void,
    /** The limits of the session's current state (tighter before authentication). */
    private readonly limits: () => FramingLimits = () => framingLimits(true),
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  /** Moves to a new socket (after STARTTLS); input buffered from the old one is discarded (RFC 3501 §6.2.1). */
  attach(socket: Duplex): void {
    this.socket.removeListener('data', this.onData);
    this.socket = socket;
    this.chunks = [];
    this.buffered = 0;
    socket.on('data', this.onData);
    socket.once('end', this.onEnd);
    socket.once('close', this.onEnd);
  }

  detach(): void {
    this.socket.removeListener('data', this.onData);
    this.socket.pause();
  }

  /** Bytes received and not yet consumed: a client may not pipeline after STARTTLS. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private readonly onData = (chunk: Buffer) => {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > IMAP_LIMITS.inputHighWater) this.socket.pause();
    this.wake();
  };

  private readonly onEnd = () => {
    this.ended = true;
    this.wake();
  };

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    this.socket.resume();
    await new Promise<void>((resolve) => {
      this.waiter = resolve;
    });
    return true;
  }

  /** Resolves with the next complete command, an error to answer, or the end of input. */
  async next(): Promise<Frame> {
    const limits = this.limits();
    const parts: Buffer[] = [];
    let commandBytes = 0;
    let messages = 0;
    let messageBytes = 0;
    let literals = 0;
    for (;;) {
      const line = await this.readLine(limits.lineLength);
      if (line === null) return { kind: 'end' };
      if ('tooLong' in line) {
        const tag = tagOf(parts[0] ?? line.tooLong) ?? '*';
        // RFC 7888 §4: the bytes of a non-synchronising literal announced by the skipped line are on their way.
        return { kind: 'error', response: `${tag} BAD Line too long (limit ${limits.lineLength} octets)`, fatal: line.nonSync };
      }
      parts.push(line);
      commandBytes += line.length;
      const tail = line.toString('latin1', Math.max(0, line.length - 32));
      const match = LITERAL_AT_END.exec(tail);
      if (commandBytes > limits.commandBytes) {
        const tag = tagOf(parts[0]) ?? '*';
        return {
          kind: 'error',
          response: `${tag} BAD Command too long (limit ${limits.commandBytes} octets)`,
          fatal: nonSynchronising(tail),
        };
      }
      if (!match) return { kind: 'command', bytes: parts.length === 1 ? parts[0] : Buffer.concat(parts) };
      const head = parts[0];
      const request: LiteralRequest = {
        tag: tagOf(head) ?? '*',
        verb: verbOf(head),
        size: Number(match[2]),
        nonSync: nonSynchronising(tail),
        index: literals,
        line,
        commandBytes,
        messages,
        messageBytes,
      };
      const decision = await this.gate(request);
      if (!decision.accept) {
        // A non-synchronising literal is already on its way; its bytes cannot be told from commands (RFC 7888 §4).
        return { kind: 'error', response: decision.response, fatal: request.nonSync };
      }
      if (!request.nonSync) this.sendContinuation('+ Ready for literal data');
      const body = await this.readBytes(request.size);
      if (body === null) return { kind: 'end' };
      parts.push(body);
      literals++;
      if (decision.message) {
        messages++;
        messageBytes += body.length;
      } else {
        commandBytes += body.length;
      }
    }
  }

  /**
   * A line up to and including LF; `tooLong` (with the line's start, and whether its end announced a
   * non-synchronising literal) after discarding an over-long line; null at the end.
   */
  private async readLine(limit: number): Promise<Buffer | { tooLong: Buffer; nonSync: boolean } | null> {
    // Chunks already searched for LF, and their octets: each arrival is searched once, and the chunks are
    // joined only for a whole line (joining on every arrival copies a line sent an octet at a time n² times).
    let searched = 0;
    let searchedBytes = 0;
    let discarding: Buffer | null = null;
    for (;;) {
      let lf = -1;
      for (; searched < this.chunks.length; searched++) {
        const found = this.chunks[searched].indexOf(0x0a);
        if (found >= 0) {
          lf = searchedBytes + found;
          break;
        }
        searchedBytes += this.chunks[searched].length;
      }
      const joined = lf >= 0 || this.buffered > limit ? this.join() : null;
      if (lf >= 0 && joined) {
        const line = joined.subarray(0, lf + 1);
        this.consume(lf + 1);
        if (discarding || line.length > limit) {
          const tail = line.toString('latin1', Math.max(0, line.length - 32));
          return { tooLong: discarding ?? Buffer.from(line.subarray(0, 100)), nonSync: nonSynchronising(tail) };
        }
        return line;
      }
      if (joined && joined.length > limit) {
        // Keep reading but drop what we have: the line will be answered with BAD once its end arrives. The
        // last 31 octets stay: with the end of the line they show whether it announced a literal.
        discarding ??= Buffer.from(joined.subarray(0, 100));
        this.consume(joined.length - 31);
        searched = 0;
        searchedBytes = 0;
      }
      if (!(await this.more())) return null;
    }
  }

  private async readBytes(size: number): Promise<Buffer | null> {
    while (this.buffered < size) {
      if (!(await this.more())) return null;
    }
    const joined = this.join() ?? Buffer.alloc(0);
    const body = Buffer.from(joined.subarray(0, size));
    this.consume(size);
    return body;
  }

  private join(): Buffer | null {
    if (this.chunks.length === 0) return null;
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private consume(count: number): void {
    const joined = this.join();
    if (!joined) return;
    const rest = joined.subarray(count);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }
}

function tagOf(line: Buffer): string | null {
  const space = line.indexOf(0x20);
  if (space <= 0) return null;
  const tag = line.toString('latin1', 0, space);
  return /^[\x21-\x7e]+$/.test(tag) ? tag : null;
}

function verbOf(line: Buffer): string {
  const words = line.toString('latin1', 0, Math.min(line.length, 64)).split(' ');
  const verb = (words[1] ?? '').toUpperCase().replace(/[\r\n]/g, '');
  return verb === 'UID' ? `UID ${(words[2] ?? '').toUpperCase()}` : verb;
}
