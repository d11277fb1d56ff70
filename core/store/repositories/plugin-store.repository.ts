import { Injectable } from '@nestjs/common';
import { AccountEntity } from '../entities/account.entity.js';
import { PluginDataEntity } from '../entities/plugin-data.entity.js';
import { PluginSettingEntity } from '../entities/plugin-setting.entity.js';
import { isMysql, sqlAll, sqlRun } from '../raw-sql.js';
import { StoreService } from '../store.service.js';
import type { PluginSetting } from '../../plugin-host/plugin-host.service.js';

/** The plugin tables: run-time settings (plugin_settings) and each plugin's key-value and counter store (plugin_data). */
@Injectable()
export class PluginStoreRepository {
  constructor(private readonly store: StoreService) {}

  async settings(): Promise<Map<string, PluginSetting>> {
    const rows = await this.store.reader.find(PluginSettingEntity);
    return new Map(rows.map((row) => [row.plugin, { enabled: row.enabled === null ? null : row.enabled !== 0, config: row.config ?? {} }]));
  }

  /** Writes a plugin's settings: `enabled` and `config` replace what they are given for; the rest stays. */
  async saveSetting(plugin: string, change: { enabled?: boolean | null; config?: Record<string, unknown> }): Promise<void> {
    await this.store.transaction(async (manager) => {
      const row = await manager.findOneBy(PluginSettingEntity, { plugin });
      const next = {
        plugin,
        enabled: change.enabled === undefined ? (row?.enabled ?? null) : change.enabled === null ? null : change.enabled ? 1 : 0,
        config: change.config ?? row?.config ?? {},
        updatedAt: Date.now(),
      };
      await manager.save(manager.create(PluginSettingEntity, next));
    });
  }

  async get(plugin: string, name: string): Promise<string | null> {
    const [row] = await sqlAll<{ value: string | null; expiresAt: number | string }>(
      this.store.reader,
      'SELECT `value`, `expiresAt` FROM `plugin_data` WHERE `plugin` = ? AND `name` = ?',
      [plugin, name],
    );
    if (!row || row.value === null) return null;
    const expiresAt = Number(row.expiresAt);
    return expiresAt > 0 && expiresAt <= Date.now() ? null : row.value;
  }

  async set(plugin: string, name: string, value: string, expiresAt: number): Promise<void> {
    await this.store.transaction(async (manager) => {
      const upsert = isMysql(manager)
        ? 'ON DUPLICATE KEY UPDATE `value` = VALUES(`value`), `expiresAt` = VALUES(`expiresAt`)'
        : 'ON CONFLICT (`plugin`, `name`) DO UPDATE SET `value` = excluded.`value`, `expiresAt` = excluded.`expiresAt`';
      await sqlRun(
        manager,
        `INSERT INTO \`plugin_data\` (\`plugin\`, \`name\`, \`value\`, \`counter\`, \`expiresAt\`) VALUES (?, ?, ?, 0, ?) ${upsert}`,
        [plugin, name, value, expiresAt],
      );
    });
  }

  async delete(plugin: string, name: string): Promise<void> {
    await this.store.transaction((manager) => manager.delete(PluginDataEntity, { plugin, name }));
  }

  /** Adds to a counter in one statement, so that nodes counting at once lose no increment. */
  async increment(plugin: string, name: string, by: number): Promise<number> {
    return this.store.transaction(async (manager) => {
      const upsert = isMysql(manager)
        ? 'ON DUPLICATE KEY UPDATE `counter` = `counter` + VALUES(`counter`)'
        : 'ON CONFLICT (`plugin`, `name`) DO UPDATE SET `counter` = `counter` + excluded.`counter`';
      await sqlRun(
        manager,
        `INSERT INTO \`plugin_data\` (\`plugin\`, \`name\`, \`value\`, \`counter\`, \`expiresAt\`) VALUES (?, ?, NULL, ?, 0) ${upsert}`,
        [plugin, name, by],
      );
      const [row] = await sqlAll<{ counter: number | string }>(
        manager,
        'SELECT `counter` FROM `plugin_data` WHERE `plugin` = ? AND `name` = ?',
        [plugin, name],
      );
      return Number(row?.counter ?? 0);
    });
  }

  async counter(plugin: string, name: string): Promise<number> {
    const [row] = await sqlAll<{ counter: number | string }>(
      this.store.reader,
      'SELECT `counter` FROM `plugin_data` WHERE `plugin` = ? AND `name` = ?',
      [plugin, name],
    );
    return Number(row?.counter ?? 0);
  }

  /** The address of an account, for the storage events plugins see. */
  async accountAddress(accountId: number): Promise<string | null> {
    const row = await this.store.reader.findOne(AccountEntity, { where: { id: accountId }, select: { id: true, address: true } });
    return row?.address ?? null;
  }

  /** Drops expired keys (not counters: a counter has no expiry). */
  async sweep(now: number): Promise<void> {
    await this.store.transaction((manager) =>
      sqlRun(manager, 'DELETE FROM `plugin_data` WHERE `expiresAt` > 0 AND `expiresAt` <= ?', [now]),
    );
  }
}
