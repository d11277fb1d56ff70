import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/**
 * Fields that must never reach a log line, wherever they appear in a logged object.
 * Protocol code logs a command's verb, never its arguments, for AUTH and LOGIN.
 */
const REDACT = ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'secret', '*.secret',
  'req.headers.authorization', 'headers.authorization'];

export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid }, redact: { paths: REDACT, censor: '****' } });
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
