import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.js';
import { startEventLoopLagSampler } from './event-loop-lag.js';

/** Runs the event-loop lag sampler for the life of the application. */
@Injectable()
export class EventLoopLagService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop: (() => void) | null = null;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  // Started once the application is up: building the schema at start-up holds the loop, and that is expected.
  onApplicationBootstrap(): void {
    this.stop = startEventLoopLagSampler(({ lagMs, suppressed }) => {
      this.logger.warn({ lagMs, suppressed }, 'event loop blocked: no connection was served meanwhile');
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = null;
  }
}
