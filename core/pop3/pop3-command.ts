import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import type { Pop3Backend } from './pop3-backend.js';
import type { MaildropMessage, Pop3Maildrop } from './pop3-maildrop.js';
import { parseNumber } from './pop3-command.parser.js';
import { err, type Pop3Reply } from './pop3-reply.js';
import { isLoopback } from '../util/loopback.js';

/** RFC 1939 §3 session states. */
export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';

/** Per-connection state the commands read and change. */
export class Pop3SessionState {
  state: Pop3State = 'AUTHORIZATION';
  /** Name given by USER, waiting for PASS. */
  pendingUser: string | null = null;
  /** Account address once logged in. */
  address: string | null = null;
  /** The app password the session logged in with, or null: its revocation ends the session. */
  credentialId: number | null = null;
  maildrop: Pop3Maildrop | null = null;
  authFailures = 0;

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
    /** True on the POP3S port and after STLS. */
    public secure: boolean,
  ) {}
}

export interface Pop3Context {
  readonly session: Pop3SessionState;
  readonly backend: Pop3Backend;
  readonly config: MailhiveConfig;
  readonly log: Logger;
}

/** What the argument checks get: the words of the line, its raw rest, and the maildrop to look numbers up in. */
export interface ArgInput {
  words: readonly string[];
  rest: string;
  maildrop: Pop3Maildrop | null;
}

export type ArgResult<T> = { ok: true; value: T } | { ok: false; text: string };

/** The shape of a command's arguments; checked by the dispatcher before the command runs. */
export interface ArgSpec<T> {
  parse(input: ArgInput): ArgResult<T>;
}

export interface Pop3CommandDefinition<T> {
  verb: string;
  states: readonly Pop3State[];
  args: ArgSpec<T>;
  run(context: Pop3Context, args: T): Promise<Pop3Reply> | Pop3Reply;
}

/** A command as the dispatcher's registry holds it: its arguments are checked, then it runs. */
export interface Pop3Command {
  readonly verb: string;
  readonly states: readonly Pop3State[];
  execute(context: Pop3Context, input: ArgInput): Promise<Pop3Reply>;
}

export function defineCommand<T>(definition: Pop3CommandDefinition<T>): Pop3Command {
  return {
    verb: definition.verb,
    states: definition.states,
    execute: async (context, input) => {
      const args = definition.args.parse(input);
      return args.ok ? definition.run(context, args.value) : err(args.text);
    },
  };
}

const valid = <T>(value: T): ArgResult<T> => ({ ok: true, value });
const invalid = <T>(text: string): ArgResult<T> => ({ ok: false, text });

function lookUp(text: string, maildrop: Pop3Maildrop | null): ArgResult<MaildropMessage> {
  const number = parseNumber(text);
  if (number === null) return invalid(`"${text.slice(0, 20)}" is not a message number`);
  const message = maildrop?.get(number);
  if (!message) return invalid(`no such message, only ${maildrop?.messages.length ?? 0} in maildrop`);
  // RFC 1939 §5: a message marked as deleted may not be referred to.
  if (message.deleted) return invalid(`message ${number} already deleted`);
  return valid(message);
}

export const noArgs: ArgSpec<null> = {
  parse: ({ words }) => (words.length === 0 ? valid(null) : invalid('this command takes no arguments')),
};

export const messageArg: ArgSpec<MaildropMessage> = {
  parse: ({ words, maildrop }) => (words.length === 1 ? lookUp(words[0], maildrop) : invalid('one message number expected')),
};

export const optionalMessageArg: ArgSpec<MaildropMessage | null> = {
  parse: ({ words, maildrop }) => {
    if (words.length === 0) return valid(null);
    return words.length === 1 ? lookUp(words[0], maildrop) : invalid('at most one message number expected');
  },
};

export const messageAndLinesArg: ArgSpec<{ message: MaildropMessage; lines: number }> = {
  parse: ({ words, maildrop }) => {
    if (words.length !== 2) return invalid('message number and line count expected');
    const lines = parseNumber(words[1]);
    if (lines === null) return invalid(`"${words[1].slice(0, 20)}" is not a line count`);
    const message = lookUp(words[0], maildrop);
    return message.ok ? valid({ message: message.value, lines }) : message;
  },
};

/** The rest of the line, as USER and PASS take it (a password may contain spaces). */
export const textArg: ArgSpec<string> = {
  parse: ({ rest }) => (rest !== '' ? valid(rest) : invalid('argument expected')),
};

/** RFC 5034 §4: AUTH [mechanism [initial-response]]. */
export const mechanismArg: ArgSpec<{ mechanism: string | null; initial: string | null }> = {
  parse: ({ words }) => {
    if (words.length > 2) return invalid('AUTH takes a mechanism and an optional initial response');
    return valid({ mechanism: words[0]?.toUpperCase() ?? null, initial: words[1] ?? null });
  },
};

/** Whether USER/PASS and AUTH PLAIN may be used on this connection now (MAILHIVE_POP3_PLAINTEXT_AUTH). */
export function plaintextAllowed(context: Pop3Context): boolean {
  const setting = context.config.pop3PlaintextAuth;
  if (context.session.secure || setting === 'always') return true;
  return setting === 'loopback' && isLoopback(context.session.remoteAddress);
}
