import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.js';
import { SearchIndexRepository } from '../store/repositories/search-index.repository.js';

/** Messages indexed per transaction: short enough not to hold SQLite's one writer from deliveries for long. */
const BATCH = 200;
/** Pause between batches, so that deliveries and IMAP keep their latency while a large store is indexed. */
const PAUSE_MS = 20;

/**
 * Indexes the messages stored before the search index existed (marked `#pending` by its migration). Until then
 * they are candidates of every search, tested on their text as before, so results are complete throughout. The
 * server starts it; it resumes where the marks say after a restart, and several nodes may run it at once.
 */
@Injectable()
export class SearchIndexBackfill implements OnApplicationShutdown {
  private stopped = false;
  private running: Promise<number> | null = null;

  constructor(
    private readonly index: SearchIndexRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Starts indexing in the background; the promise of the run is kept for tests and shutdown. */
  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      this.logger.error({ err: error }, 'search index backfill failed; it resumes at the next start');
      return 0;
    });
  }

  /** Indexes every pending message; returns how many. */
  async run(): Promise<number> {
    let indexed = 0;
    const started = Date.now();
    while (!this.stopped) {
      const count = await this.index.backfill(BATCH);
      if (count === 0) break;
      indexed += count;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    if (indexed > 0) this.logger.info({ messages: indexed, ms: Date.now() - started }, 'search index backfill done');
    return indexed;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
