import { Injectable } from '@nestjs/common';
import { sqlOne, sqlRun } from '../raw-sql.js';
import { StoreService } from '../store.service.js';

/** The `send_log` table: one row per message a user sent within the rate window. */
@Injectable()
export class SendLogRepository {
  constructor(private readonly store: StoreService) {}

  /** Messages the account sent after `since`. */
  async countSince(accountId: number, since: number): Promise<number> {
    const row = await sqlOne<{ sent: number | string }>(
      this.store.reader,
      'SELECT COUNT(*) AS `sent` FROM `send_log` WHERE `accountId` = ? AND `sentAt` > ?',
      [accountId, since],
    );
    return Number(row?.sent ?? 0);
  }

  /** Records one message sent at `now` and forgets the account's sends at or before `forgetUpTo`. */
  async record(accountId: number, now: number, forgetUpTo: number): Promise<void> {
    await this.store.transaction(async (manager) => {
      await sqlRun(manager, 'INSERT INTO `send_log` (`accountId`, `sentAt`) VALUES (?, ?)', [accountId, now]);
      await sqlRun(manager, 'DELETE FROM `send_log` WHERE `accountId` = ? AND `sentAt` <= ?', [accountId, forgetUpTo]);
    });
  }
}
