import type { Logger } from 'pino';
import type { ImapBackend } from './imap-backend.js';
import type { Args } from './protocol/command-args.js';
import type { Frame } from './protocol/imap-stream.js';
import type { OutValue } from './protocol/imap-writer.js';
import type { ImapSession, SessionState } from './session/imap-session.js';

/** The tagged completion of a command. `after` runs once the tagged line is written (STARTTLS, LOGOUT). */
export interface CommandResult {
  status: 'OK' | 'NO' | 'BAD';
  /** Response code without brackets, e.g. `TRYCREATE` or `COPYUID 5 1:3 7:9`. */
  code?: string;
  text: string;
  after?: () => Promise<void>;
}

export function ok(text: string, code?: string): CommandResult {
  return { status: 'OK', text, ...(code ? { code } : {}) };
}

export function no(text: string, code?: string): CommandResult {
  return { status: 'NO', text, ...(code ? { code } : {}) };
}

export function bad(text: string): CommandResult {
  return { status: 'BAD', text };
}

/** What a command may do besides calling the backend: write untagged data, read continuation lines. */
export interface CommandContext {
  readonly tag: string;
  readonly verb: string;
  readonly session: ImapSession;
  readonly backend: ImapBackend;
  readonly log: Logger;
  /** Writes `* <values>`. */
  untagged(values: OutValue[]): void;
  /** Writes `* <text>` for a line the caller built itself (hot paths; no literals, ASCII only). */
  untaggedText(text: string): void;
  /** Writes `* <values>` for each line, all in one socket write. */
  untaggedBatch(lines: OutValue[][]): void;
  /** Writes untagged lines the caller built itself, each `* ...\r\n` (one socket write for many lines). */
  untaggedBlock(text: string): void;
  /** Writes a continuation request `+ text`. */
  continuation(text: string): void;
  /** Resolves when written data has drained to the socket (back-pressure for large FETCH). */
  drain(): Promise<void>;
  /** The next client line or command (IDLE's DONE, AUTHENTICATE responses). */
  readFrame(): Promise<Frame>;
  /**
   * Reports pending mailbox changes now (IDLE), once they are brought up to date with the store; skipped when
   * `stillWanted` says no by then (IDLE ended meanwhile: EXPUNGE must not go out between commands).
   */
  reportChanges(stillWanted?: () => boolean): Promise<void>;
  /**
   * Writes untagged FLAGS and PERMANENTFLAGS first when `flags` hold a keyword the client was not told of; call before
   * writing responses that show them (RFC 3501 §7.2.6).
   */
  announceKeywords(flags: Iterable<string>): void;
  /** Mailbox name from the wire (modified UTF-7 or UTF-8) → store path; a refusal text when invalid. */
  decodeMailbox(raw: Buffer): string | { invalid: string };
  /** Store path → wire form for this session. */
  encodeMailbox(path: string): string;
  capabilities(): string[];
  startTls(): Promise<void>;
  /** The session has just authenticated (longer autologout timer). */
  loggedIn(): void;
  /** Turns on DEFLATE in both directions after the tagged reply; false when it already is. */
  compress(): boolean;
  /** Closes the connection after the tagged reply. */
  close(): Promise<void>;
}

/**
 * One IMAP verb: where it is allowed, how its arguments are read and what it does. The dispatcher enforces
 * `states` and turns BadArguments from `parse` into a tagged BAD, so `run` sees only well-formed input.
 */
export interface ImapCommandModule<A> {
  verbs: readonly string[];
  states: readonly SessionState[];
  parse(args: Args, verb: string): A;
  run(ctx: CommandContext, args: A): Promise<CommandResult>;
  /** RFC 3501 §7.4.1: FETCH, STORE and SEARCH must not be answered with EXPUNGE. Default true. */
  allowsExpunge?: boolean;
}

/** Registry entries differ in their argument type; methods are bivariant, so each module fits here. */
export type AnyCommandModule = ImapCommandModule<unknown>;

export function defineCommand<A>(module: ImapCommandModule<A>): ImapCommandModule<A> {
  return module;
}
