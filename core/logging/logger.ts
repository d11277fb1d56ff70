import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { prettyLogStream } from './pretty-log-stream.js';

/**
 * Fields that must never reach a log line, wherever they appear in a logged object.
 * Protocol code logs a command's verb, never its arguments, for AUTH and LOGIN.
 */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'headers.authorization',
];

export type LogFormat = 'auto' | 'pretty' | 'json';

/** Whether logs are for people: `pretty`, or `auto` with standard output on a terminal. */
export function logsForPeople(format: LogFormat): boolean {
  return format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
}

/** JSON lines for log collectors, or lines for people (see logsForPeople). */
export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  const options = { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: '****' } };
  return logsForPeople(format) ? pino(options, prettyLogStream(process.stdout)) : pino(options);
}

/** Routes NestJS's own messages into pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  // Nest's own start-up chatter (modules, routes) is debug detail for an operator.
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

export const LOGGER = Symbol('LOGGER');
