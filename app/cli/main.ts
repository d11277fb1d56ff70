import { parseArgs } from 'node:util';
import { AccountsError } from '../../core/accounts/accounts.errors.js';
import { ConfigError, loadConfig } from '../../core/config/config.loader.js';
import { recordStore } from '../../core/config/data-dir-config.js';
import { createLogger } from '../../core/logging/logger.js';
import { MailError } from '../../core/mail/mail.errors.js';
import { BackupError } from '../../modules/backup/backup.errors.js';
import { packageVersion } from '../../core/util/package-version.js';
import { StartupError } from '../../core/util/startup-error.js';
import { UsageError } from './cli-error.js';
import { promptNewPassword } from './password-prompt.js';
import { BACKUP_COMMAND_NAMES, COMMAND_GROUPS, COMMAND_NAMES, subcommandsOf, USAGE, usageOf } from './usage.js';

const SHUTDOWN_LIMIT_MS = 10_000;
const HELP_FLAGS = new Set(['--help', '-h']);
/** Commands that parse options of their own; every other command takes none. */
const COMMANDS_WITH_OPTIONS = new Set([
  'user add',
  'user set',
  'user passwd',
  'domain list',
  'domain dns',
  'user list',
  'alias list',
  'queue list',
  'plugin new',
  'blobs migrate',
  ...BACKUP_COMMAND_NAMES,
]);

/** Errors whose message is meant for the operator; anything else is a fault, shown as one line too. */
function isExpected(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof StartupError ||
    error instanceof AccountsError ||
    error instanceof MailError ||
    error instanceof UsageError ||
    error instanceof BackupError
  );
}

/** node:util parseArgs refuses unknown options and missing values with these codes: usage errors. */
function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** parseArgs's refusal in a few words: `unknown option --all`, `--password needs a value`. */
function parseArgsMessage(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1] ?? 'an option';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // `--quota -5`: a value that starts with a dash must be attached (`--quota=-5`) to be read as a value.
    return error.message.includes('ambiguous')
      ? `${option} needs a value (write ${option}=VALUE for one starting with "-")`
      : `${option} needs a value`;
  }
  return firstLine(error.message);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.logFormat);
  // Loaded here only: the server's modules (GraphQL, protocols, mail authentication) cost the other commands time.
  const { startMailhive } = await import('../bootstrap.js');
  const running = await startMailhive(config, logger);
  // Recorded once the server has started on it, so that a mistyped database URL is not kept as the data's home.
  if (!process.env.MAILHIVE_CONFIG) recordStore(config.dataDir, process.env);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The command the words name (`user add`), and the arguments after it. */
function commandOf(argv: string[]): { command: string; args: string[] } {
  const [first, second, ...rest] = argv as [string, ...string[]];
  if (first.startsWith('-')) throw new UsageError(`unknown option "${first}"`);
  if (COMMAND_NAMES.has(first)) return { command: first, args: argv.slice(1) };
  if (!COMMAND_GROUPS.has(first)) throw new UsageError(`unknown command "${first}"`);
  if (second === undefined || second.startsWith('-')) throw new UsageError(`"${first}" needs a subcommand: ${subcommandsOf(first)}`);
  const command = `${first} ${second}`;
  if (!COMMAND_NAMES.has(command)) throw new UsageError(`unknown command "${command}"`);
  return { command, args: rest };
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function run(argv: string[]): Promise<number> {
  const [first, second] = argv;
  if (first === undefined) throw new UsageError('no command given');
  if (HELP_FLAGS.has(first)) {
    print(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-V') {
    print(`mailhive ${packageVersion()}`);
    return 0;
  }
  if (first === 'help') {
    const text = second === undefined ? USAGE : usageOf(second);
    if (text === null) throw new UsageError(`unknown command "${second}"`);
    print(text);
    return 0;
  }
  if (COMMAND_GROUPS.has(first) && second !== undefined && HELP_FLAGS.has(second)) {
    print(usageOf(first)!);
    return 0;
  }
  const { command, args } = commandOf(argv);
  if (args.some((arg) => HELP_FLAGS.has(arg))) {
    print(usageOf(command)!);
    return 0;
  }
  // Strict parsing refuses any option where the command takes none (`domain list --all`).
  if (!COMMANDS_WITH_OPTIONS.has(command)) parseArgs({ args, allowPositionals: true, options: {} });
  if (command === 'start') {
    await start();
    return -1;
  }
  const { COMMANDS } = await import('./commands.js');
  const handler = COMMANDS[command];
  if (!handler) throw new UsageError(`unknown command "${command}"`);
  const config = loadConfig();
  const terminal = process.stdin.isTTY && process.stderr.isTTY;
  await handler(args, config, createLogger(process.env.MAILHIVE_LOG_LEVEL ?? 'warn'), {
    out: (line) => process.stdout.write(`${line}\n`),
    stdin: process.stdin,
    askPassword: terminal ? () => promptNewPassword(process.stdin, process.stderr) : undefined,
  });
  return 0;
}

/**
 * Runs one command and returns its exit code (-1: keep running, for `start`). Never throws and never prints a stack
 * trace unless MAILHIVE_LOG_LEVEL is debug or trace: every error is one line on stderr, exit 2 for a usage error and
 * 1 for anything refused or failed.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const message = error instanceof UsageError ? firstLine(error.message) : parseArgsMessage(error);
      process.stderr.write(`mailhive: ${message} (see mailhive --help)\n`);
      return 2;
    }
    if (isExpected(error)) {
      process.stderr.write(`mailhive: ${firstLine(error.message)}\n`);
      return 1;
    }
    const debug = ['debug', 'trace'].includes(process.env.MAILHIVE_LOG_LEVEL ?? '');
    const detail = error instanceof Error ? (debug && error.stack ? error.stack : firstLine(error.message)) : String(error);
    process.stderr.write(`mailhive: unexpected error: ${detail}\n`);
    return 1;
  }
}
