import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.js';
import { ThrottledWarning } from '../util/throttled-warning.js';
import { startEventLoopLagSampler } from './event-loop-lag.js';

/** At most one blocked-loop warning a minute; the ones between are counted into the next. */
const BLOCKED_LOOP_WARN_INTERVAL_MS = 60_000;

/** Runs the event-loop lag sampler for the life of the application. */
@Injectable()
export class EventLoopLagService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop: (() => void) | null = null;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  // Started once the application is up: building the schema at start-up holds the loop, and that is expected.
  onApplicationBootstrap(): void {
    const warning = new ThrottledWarning(
      this.logger,
      'event loop blocked: no connection was served meanwhile',
      BLOCKED_LOOP_WARN_INTERVAL_MS,
    );
    this.stop = startEventLoopLagSampler((lagMs) => warning.warn({ lagMs }));
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = null;
  }
}
