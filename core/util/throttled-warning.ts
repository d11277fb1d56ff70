import type { Logger } from 'pino';

/**
 * A warning logged at most once per interval, with the number of occurrences it stood for since the last one:
 * an attack that triggers it thousands of times a second must not flood the log (or fill the disk) with it.
 */
export class ThrottledWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  warn(fields: Record<string, unknown>): void {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.logger.warn({ ...fields, suppressedSinceLast: this.suppressed }, this.message);
    this.lastAt = now;
    this.suppressed = 0;
  }
}
