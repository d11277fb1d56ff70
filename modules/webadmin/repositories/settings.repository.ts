import { Injectable } from '@nestjs/common';
import { ModuleStore } from '../../../core/module-store/module-store.service.js';

/** The `webadmin_settings` table: run-time settings by name. */
@Injectable()
export class SettingsRepository {
  constructor(private readonly store: ModuleStore) {}

  async all(): Promise<Map<string, string>> {
    const rows = (await this.store.reader.query('SELECT `name`, `value` FROM `webadmin_settings`')) as { name: string; value: string }[];
    return new Map(rows.map((row) => [row.name, row.value]));
  }

  /** Writes the given settings in one transaction; a null value removes the setting (back to its default). */
  async write(values: ReadonlyMap<string, string | null>): Promise<void> {
    const now = Date.now();
    await this.store.transaction(async (manager) => {
      for (const [name, value] of values) {
        await manager.query('DELETE FROM `webadmin_settings` WHERE `name` = ?', [name]);
        if (value !== null)
          await manager.query('INSERT INTO `webadmin_settings` (`name`, `value`, `updatedAt`) VALUES (?, ?, ?)', [name, value, now]);
      }
    });
  }
}
