import { Inject, Injectable } from '@nestjs/common';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { runtimeSettings } from '../config/runtime-settings.js';
import { sqlOne, sqlRun } from '../store/raw-sql.js';
import { StoreService } from '../store/store.service.js';

const WINDOW_MS = 3600_000;

/**
 * Messages per user per sliding hour, so that a stolen password cannot send without end. Counted in the store, so
 * the limit holds over SMTP submission and webmail together and across nodes. Checked before a message is taken,
 * recorded once it is accepted; two nodes checking at the same moment may let one message more through.
 */
@Injectable()
export class SendRateService {
  constructor(private readonly store: StoreService, @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig) {}

  async allowed(accountId: number, now = Date.now()): Promise<boolean> {
    const row = await sqlOne<{ sent: number | string }>(this.store.reader,
      'SELECT COUNT(*) AS `sent` FROM `send_log` WHERE `accountId` = ? AND `sentAt` > ?', [accountId, now - WINDOW_MS]);
    return Number(row?.sent ?? 0) < runtimeSettings.value('smtpSendRateLimit', this.config.smtpSendRateLimit);
  }

  async record(accountId: number, now = Date.now()): Promise<void> {
    await this.store.transaction(async (manager) => {
      await sqlRun(manager, 'INSERT INTO `send_log` (`accountId`, `sentAt`) VALUES (?, ?)', [accountId, now]);
      await sqlRun(manager, 'DELETE FROM `send_log` WHERE `accountId` = ? AND `sentAt` <= ?', [accountId, now - WINDOW_MS]);
    });
  }
}
