import { Inject, Injectable } from '@nestjs/common';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { runtimeSettings } from '../config/runtime-settings.js';
import { SendLogRepository } from '../store/repositories/send-log.repository.js';

const WINDOW_MS = 3600_000;

/**
 * Messages per user per sliding hour, so that a stolen password cannot send without end. Counted in the store, so
 * the limit holds over SMTP submission and webmail together and across nodes. Checked before a message is taken,
 * recorded once it is accepted; two nodes checking at the same moment may let one message more through.
 */
@Injectable()
export class SendRateService {
  constructor(
    private readonly log: SendLogRepository,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  async allowed(accountId: number, now = Date.now()): Promise<boolean> {
    return (
      (await this.log.countSince(accountId, now - WINDOW_MS)) < runtimeSettings.value('smtpSendRateLimit', this.config.smtpSendRateLimit)
    );
  }

  async record(accountId: number, now = Date.now()): Promise<void> {
    await this.log.record(accountId, now, now - WINDOW_MS);
  }
}
