import { Injectable } from '@nestjs/common';
import { ModuleStore } from '../../../core/module-store/module-store.service.js';

/** The `webmail_settings` table: each account's settings by name, values as JSON text. */
@Injectable()
export class UserSettingsRepository {
  constructor(private readonly store: ModuleStore) {}

  async read(accountId: number): Promise<Map<string, string>> {
    const rows = (await this.store.reader.query('SELECT `name`, `value` FROM `webmail_settings` WHERE `accountId` = ?', [accountId])) as {
      name: string;
      value: string;
    }[];
    return new Map(rows.map((row) => [row.name, row.value]));
  }

  /** Writes the given settings of one account in one transaction. */
  async write(accountId: number, values: ReadonlyMap<string, string>): Promise<void> {
    const now = Date.now();
    await this.store.transaction(async (manager) => {
      for (const [name, value] of values) {
        await manager.query('DELETE FROM `webmail_settings` WHERE `accountId` = ? AND `name` = ?', [accountId, name]);
        await manager.query('INSERT INTO `webmail_settings` (`accountId`, `name`, `value`, `updatedAt`) VALUES (?, ?, ?, ?)', [
          accountId,
          name,
          value,
          now,
        ]);
      }
    });
  }
}
