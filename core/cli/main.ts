import { AccountsError } from '../accounts/accounts.errors.js';
import { startMailhive } from '../app/bootstrap.js';
import { ConfigError, loadConfig } from '../config/config.loader.js';
import { createLogger } from '../logging/logger.js';
import { MailError } from '../mail/mail.errors.js';
import { StartupError } from '../util/startup-error.js';
import { UsageError } from './cli-error.js';
import { COMMANDS, USAGE } from './commands.js';

const SHUTDOWN_LIMIT_MS = 10_000;

/** Errors whose message is meant for the operator; anything else is a bug and is shown with its stack. */
function isExpected(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof StartupError || error instanceof AccountsError
    || error instanceof MailError || error instanceof UsageError;
}

async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const running = await startMailhive(config, logger);
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
    running.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    }, (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export async function main(argv: string[]): Promise<number> {
  const [first, second, ...rest] = argv;
  if (!first || first === '--help' || first === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return first ? 0 : 2;
  }
  try {
    if (first === 'start') {
      await start();
      return -1;
    }
    const handler = COMMANDS[`${first} ${second ?? ''}`.trim()] ?? COMMANDS[first];
    if (!handler) throw new UsageError(`unknown command "${[first, second].filter(Boolean).join(' ')}"`);
    const args = COMMANDS[`${first} ${second ?? ''}`.trim()] ? rest : [second, ...rest].filter((arg) => arg !== undefined);
    const config = loadConfig();
    await handler(args, config, createLogger(process.env.MAILHIVE_LOG_LEVEL ?? 'warn'), { out: (line) => process.stdout.write(`${line}\n`) });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mailhive: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (isExpected(error)) {
      process.stderr.write(`mailhive: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`mailhive: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
