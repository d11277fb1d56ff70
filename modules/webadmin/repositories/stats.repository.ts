import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ModuleStore } from '../../../core/module-store/module-store.service.js';

export type StatsPeriod = 'minute' | 'hour' | 'day';
export type TopKind = 'sender' | 'receiver';

export const PERIOD_MS: Record<StatsPeriod, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** How far back each period is kept: the table holds at most ~120 + 48 + 400 rows per metric. */
export const PERIOD_HORIZON_MS: Record<StatsPeriod, number> = { minute: 2 * 3_600_000, hour: 48 * 3_600_000, day: 400 * 86_400_000 };
/** Days of top senders and receivers kept. */
export const TOP_HORIZON_DAYS = 31;

export interface DeliveryLogRow {
  at: number;
  event: string;
  sender: string;
  recipient: string;
  messageId: string;
  subject: string;
  detail: string;
}

export interface TraceFilter {
  sender?: string;
  recipient?: string;
  messageId?: string;
  subject?: string;
  from?: number;
  to?: number;
}

const clip = (value: string, length: number): string => value.slice(0, length);

/** WebAdmin's counters (`webadmin_stats`, `webadmin_top`) and delivery log (`webadmin_delivery_log`). */
@Injectable()
export class StatsRepository {
  constructor(private readonly store: ModuleStore) {}

  /** Adds counts: each (metric, minute) count goes into its minute, hour and day bucket. */
  async add(counts: ReadonlyMap<string, number>, top: ReadonlyMap<string, number>, log: readonly DeliveryLogRow[]): Promise<void> {
    const upsert = this.store.isSqlite
      ? 'ON CONFLICT DO UPDATE SET `count` = `count` + excluded.`count`'
      : 'ON DUPLICATE KEY UPDATE `count` = `count` + VALUES(`count`)';
    await this.store.transaction(async (manager) => {
      for (const [key, count] of counts) {
        const [metric, minute] = key.split('|') as [string, string];
        for (const period of ['minute', 'hour', 'day'] as const) {
          const bucket = Math.floor(Number(minute) / PERIOD_MS[period]) * PERIOD_MS[period];
          await manager.query(
            `INSERT INTO \`webadmin_stats\` (\`period\`, \`metric\`, \`bucket\`, \`count\`) VALUES (?, ?, ?, ?) ${upsert}`,
            [period, metric, bucket, count],
          );
        }
      }
      for (const [key, count] of top) {
        const [day, kind, address] = key.split('|') as [string, string, string];
        await manager.query(`INSERT INTO \`webadmin_top\` (\`day\`, \`kind\`, \`address\`, \`count\`) VALUES (?, ?, ?, ?) ${upsert}`, [
          Number(day),
          kind,
          clip(address, 320),
          count,
        ]);
      }
      for (const row of log) await this.insertLog(manager, row);
    });
  }

  private async insertLog(manager: EntityManager, row: DeliveryLogRow): Promise<void> {
    let { messageId, subject } = row;
    // An outbound attempt knows the envelope only: its Message-ID and subject come from the row that queued it.
    if (!messageId && (row.event === 'relayed' || row.event === 'deferred' || row.event === 'bounced')) {
      const queued = (await manager.query(
        'SELECT `messageId`, `subject` FROM `webadmin_delivery_log` WHERE `recipient` = ? AND `sender` = ? AND `event` = ? ORDER BY `at` DESC, `id` DESC LIMIT 1',
        [clip(row.recipient, 320), clip(row.sender, 320), 'queued'],
      )) as { messageId: string; subject: string }[];
      if (queued[0]) ({ messageId, subject } = queued[0]);
    }
    await manager.query(
      'INSERT INTO `webadmin_delivery_log` (`at`, `event`, `sender`, `recipient`, `messageId`, `subject`, `detail`) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [row.at, row.event, clip(row.sender, 320), clip(row.recipient, 320), clip(messageId, 255), clip(subject, 255), clip(row.detail, 500)],
    );
  }

  /** Counts of a metric per bucket of a period, from `since` on. */
  async series(
    period: StatsPeriod,
    metrics: readonly string[],
    since: number,
  ): Promise<{ metric: string; bucket: number; count: number }[]> {
    if (metrics.length === 0) return [];
    const rows = (await this.store.reader.query(
      `SELECT \`metric\`, \`bucket\`, \`count\` FROM \`webadmin_stats\` WHERE \`period\` = ? AND \`metric\` IN (${metrics.map(() => '?').join(', ')}) AND \`bucket\` >= ? ORDER BY \`bucket\``,
      [period, ...metrics, since],
    )) as { metric: string; bucket: number | string; count: number | string }[];
    return rows.map((row) => ({ metric: row.metric, bucket: Number(row.bucket), count: Number(row.count) }));
  }

  async top(kind: TopKind, sinceDay: number, limit: number): Promise<{ address: string; count: number }[]> {
    const rows = (await this.store.reader.query(
      'SELECT `address`, SUM(`count`) AS `total` FROM `webadmin_top` WHERE `kind` = ? AND `day` >= ? GROUP BY `address` ORDER BY `total` DESC, `address` LIMIT ?',
      [kind, sinceDay, limit],
    )) as { address: string; total: number | string }[];
    return rows.map((row) => ({ address: row.address, count: Number(row.total) }));
  }

  /** Delivery log rows that match, newest first. Address filters are exact; subject is a prefix. */
  async trace(filter: TraceFilter, limit: number): Promise<(DeliveryLogRow & { id: number })[]> {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.sender) {
      where.push('`sender` = ?');
      values.push(filter.sender);
    }
    if (filter.recipient) {
      where.push('`recipient` = ?');
      values.push(filter.recipient);
    }
    if (filter.messageId) {
      where.push('`messageId` = ?');
      values.push(filter.messageId);
    }
    if (filter.subject) {
      where.push("`subject` LIKE ? ESCAPE '!'");
      values.push(`${filter.subject.replace(/[!%_]/g, '!$&')}%`);
    }
    if (filter.from !== undefined) {
      where.push('`at` >= ?');
      values.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('`at` < ?');
      values.push(filter.to);
    }
    const rows = (await this.store.reader.query(
      `SELECT \`id\`, \`at\`, \`event\`, \`sender\`, \`recipient\`, \`messageId\`, \`subject\`, \`detail\` FROM \`webadmin_delivery_log\`${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY \`at\` DESC, \`id\` DESC LIMIT ?`,
      [...values, limit],
    )) as (DeliveryLogRow & { id: number | string; at: number | string })[];
    return rows.map((row) => ({ ...row, id: Number(row.id), at: Number(row.at) }));
  }

  /** Drops what is past its horizon. */
  async prune(now: number, logHorizonMs: number): Promise<void> {
    await this.store.transaction(async (manager) => {
      for (const period of ['minute', 'hour', 'day'] as const) {
        await manager.query('DELETE FROM `webadmin_stats` WHERE `period` = ? AND `bucket` < ?', [period, now - PERIOD_HORIZON_MS[period]]);
      }
      await manager.query('DELETE FROM `webadmin_top` WHERE `day` < ?', [now - TOP_HORIZON_DAYS * PERIOD_MS.day]);
      await manager.query('DELETE FROM `webadmin_delivery_log` WHERE `at` < ?', [now - logHorizonMs]);
    });
  }
}
