import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../../core/logging/logger.js';
import { WEBMAIL_OPTIONS, type WebmailOptions } from '../webmail.options.js';
import { UploadService } from './upload.service.js';

/** Batches of expired uploads released per run at most; what is left waits for the next run. */
const PURGE_BATCHES_PER_RUN = 20;

/** Releases expired uploads of every user on a timer: their rows, blob references and the quota they held. */
@Injectable()
export class UploadPurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly uploads: UploadService,
    @Inject(WEBMAIL_OPTIONS) private readonly options: WebmailOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), this.options.uploadPurgeIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    // A slow database must not stack runs up.
    if (this.running) return;
    this.running = true;
    try {
      const released = await this.uploads.purge(null, PURGE_BATCHES_PER_RUN);
      if (released > 0) this.logger.info({ released }, 'expired webmail uploads released');
    } catch (error) {
      this.logger.error({ err: error }, 'purging expired webmail uploads failed');
    } finally {
      this.running = false;
    }
  }
}
