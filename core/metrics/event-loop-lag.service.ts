import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.js';
import { startEventLoopLagSampler } from './event-loop-lag.js';

/** Runs the event-loop lag sampler for the life of the application. */
@Injectable()
export class EventLoopLagService implements OnModuleInit, OnApplicationShutdown {
  private stop: (() => void) | null = null;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onModuleInit(): void {
    this.stop = startEventLoopLagSampler(({ lagMs, suppressed }) => {
      this.logger.warn({ lagMs, suppressed }, 'event loop blocked: no connection was served meanwhile');
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = null;
  }
}
