import { parseSieve, SieveSyntaxError, type SieveArgument, type SieveCommand, type SieveTest } from './sieve-parser.js';

/** What a script decided for one message: where it goes, with which flags, or that it is discarded or rejected. */
export interface SieveOutcome {
  /** 'keep' files into INBOX (or the last fileinto); 'discard' drops it; 'reject' drops it and reports `reason`. */
  disposition: 'keep' | 'discard' | 'reject';
  folder: string | null;
  flags: string[];
  reason?: string;
}

export interface SieveMessage {
  /** Header fields by lower-case name (first occurrence). */
  headers: Readonly<Record<string, string>>;
  envelope: { from: string; to: string };
  size: number;
  /** The message's text, for the body test (searched as is). */
  body: string;
}

/** The extensions this interpreter knows (RFC 5228 `require`). */
export const SIEVE_EXTENSIONS = new Set(['fileinto', 'reject', 'envelope', 'imap4flags', 'body', 'copy']);

const COMMANDS = new Set([
  'require',
  'if',
  'elsif',
  'else',
  'stop',
  'keep',
  'discard',
  'fileinto',
  'reject',
  'addflag',
  'setflag',
  'removeflag',
]);
const TESTS = new Set(['header', 'address', 'envelope', 'exists', 'size', 'allof', 'anyof', 'not', 'true', 'false', 'body']);

/** Parses and checks a script: unknown commands, tests and extensions are errors, as RFC 5228 §2.10.5 wants. */
export function compileSieve(script: string): SieveCommand[] {
  const commands = parseSieve(script);
  const required = new Set<string>();
  const check = (list: SieveCommand[]) => {
    for (const command of list) {
      if (!COMMANDS.has(command.name)) throw new SieveSyntaxError(`unknown command "${command.name}"`, command.line);
      if (command.name === 'require') {
        for (const name of strings(command.args)) {
          if (!SIEVE_EXTENSIONS.has(name)) throw new SieveSyntaxError(`unsupported extension "${name}"`, command.line);
          required.add(name);
        }
      }
      const needs = { fileinto: 'fileinto', reject: 'reject', addflag: 'imap4flags', setflag: 'imap4flags', removeflag: 'imap4flags' }[
        command.name as 'fileinto'
      ];
      if (needs && !required.has(needs)) throw new SieveSyntaxError(`"${command.name}" needs require "${needs}"`, command.line);
      const walk = (tests: SieveTest[]) => {
        for (const test of tests) {
          if (!TESTS.has(test.name)) throw new SieveSyntaxError(`unknown test "${test.name}"`, command.line);
          if ((test.name === 'envelope' || test.name === 'body') && !required.has(test.name)) {
            throw new SieveSyntaxError(`"${test.name}" needs require "${test.name}"`, command.line);
          }
          walk(test.tests);
        }
      };
      walk(command.tests);
      if (command.block) check(command.block);
    }
  };
  check(commands);
  return commands;
}

function strings(args: readonly SieveArgument[]): string[] {
  return args.flatMap((arg) => (arg.kind === 'strings' ? arg.value : []));
}

function tags(args: readonly SieveArgument[]): Set<string> {
  return new Set(args.flatMap((arg) => (arg.kind === 'tag' ? [arg.value] : [])));
}

/** The string lists of the arguments, in order (header names, keys...). */
function lists(args: readonly SieveArgument[]): string[][] {
  return args.flatMap((arg) => (arg.kind === 'strings' ? [arg.value] : []));
}

/** RFC 5228 §2.7.1: `*` any run, `?` one character, `\` quotes; case-insensitive (i;ascii-casemap). */
function wildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

function matches(values: readonly string[], keys: readonly string[], match: Set<string>): boolean {
  return values.some((value) =>
    keys.some((key) => {
      if (match.has('contains')) return value.toLowerCase().includes(key.toLowerCase());
      if (match.has('matches')) return wildcard(key).test(value);
      return value.toLowerCase() === key.toLowerCase();
    }),
  );
}

function addresses(value: string): string[] {
  return [...value.matchAll(/<([^>]*)>|([^\s,<>"]+@[^\s,<>"]+)/g)].map((match) => (match[1] ?? match[2] ?? '').trim()).filter(Boolean);
}

function addressPart(address: string, part: Set<string>): string {
  const at = address.lastIndexOf('@');
  if (part.has('localpart')) return at < 0 ? address : address.slice(0, at);
  if (part.has('domain')) return at < 0 ? '' : address.slice(at + 1);
  return address;
}

function evaluate(test: SieveTest, message: SieveMessage): boolean {
  const tagged = tags(test.args);
  switch (test.name) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'not':
      return !evaluate(test.tests[0]!, message);
    case 'allof':
      return test.tests.every((item) => evaluate(item, message));
    case 'anyof':
      return test.tests.some((item) => evaluate(item, message));
    case 'exists':
      return (lists(test.args)[0] ?? []).every((name) => message.headers[name.toLowerCase()] !== undefined);
    case 'size': {
      const limit = (test.args.find((arg) => arg.kind === 'number')?.value as number | undefined) ?? 0;
      return tagged.has('over') ? message.size > limit : message.size < limit;
    }
    case 'header': {
      const [names = [], keys = []] = lists(test.args);
      return matches(
        names.map((name) => message.headers[name.toLowerCase()]).filter((value): value is string => value !== undefined),
        keys,
        tagged,
      );
    }
    case 'address': {
      const [names = [], keys = []] = lists(test.args);
      const values = names
        .flatMap((name) => addresses(message.headers[name.toLowerCase()] ?? ''))
        .map((address) => addressPart(address, tagged));
      return matches(values, keys, tagged);
    }
    case 'envelope': {
      const [parts = [], keys = []] = lists(test.args);
      const values = parts
        .map((part) => message.envelope[part.toLowerCase() as 'from' | 'to'] ?? '')
        .map((address) => addressPart(address, tagged));
      return matches(values, keys, tagged);
    }
    case 'body': {
      const [keys = []] = lists(test.args);
      return matches([message.body], keys, tagged.size > 0 ? tagged : new Set(['contains']));
    }
    default:
      return false;
  }
}

/** Runs a compiled script on a message (RFC 5228 §2.10: implicit keep unless an action cancels it). */
export function runSieve(commands: readonly SieveCommand[], message: SieveMessage): SieveOutcome {
  const outcome: SieveOutcome = { disposition: 'keep', folder: null, flags: [] };
  let implicitKeep = true;
  let stopped = false;
  const flagsOf = (command: SieveCommand) =>
    strings(command.args)
      .flatMap((item) => item.split(/\s+/))
      .filter(Boolean);
  const run = (list: readonly SieveCommand[]) => {
    let previousTaken: boolean | null = null;
    for (const command of list) {
      if (stopped) return;
      switch (command.name) {
        case 'if':
        case 'elsif':
        case 'else': {
          if (command.name !== 'if' && previousTaken === null) continue;
          if (command.name !== 'if' && previousTaken) continue;
          const taken = command.name === 'else' || evaluate(command.tests[0]!, message);
          if (taken) run(command.block ?? []);
          previousTaken = command.name === 'else' ? null : taken;
          continue;
        }
        case 'stop':
          stopped = true;
          return;
        case 'keep':
          implicitKeep = false;
          outcome.disposition = 'keep';
          break;
        case 'discard':
          implicitKeep = false;
          if (outcome.folder === null && outcome.disposition !== 'reject') outcome.disposition = 'discard';
          break;
        case 'fileinto':
          outcome.folder = strings(command.args)[0] ?? null;
          outcome.disposition = 'keep';
          if (!tags(command.args).has('copy')) implicitKeep = false;
          break;
        case 'reject':
          implicitKeep = false;
          outcome.disposition = 'reject';
          outcome.reason = strings(command.args)[0] ?? 'rejected';
          break;
        case 'addflag':
          outcome.flags = [...new Set([...outcome.flags, ...flagsOf(command)])];
          break;
        case 'setflag':
          outcome.flags = flagsOf(command);
          break;
        case 'removeflag': {
          const gone = new Set(flagsOf(command).map((flag) => flag.toLowerCase()));
          outcome.flags = outcome.flags.filter((flag) => !gone.has(flag.toLowerCase()));
          break;
        }
        default:
          break;
      }
      previousTaken = null;
    }
  };
  run(commands);
  if (implicitKeep && outcome.disposition === 'discard') outcome.disposition = 'keep';
  return outcome;
}
