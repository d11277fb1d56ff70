import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlAll, sqlOne, sqlRun } from '../../../core/store/raw-sql.js';
import { StoreService } from '../../../core/store/store.service.js';

export interface UploadRow {
  id: string;
  accountId: number;
  blobId: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: number;
}

interface RawUploadRow {
  id: string;
  accountId: number | string;
  blobId: string;
  filename: string;
  contentType: string;
  size: number | string;
  createdAt: number | string;
}

const fromRaw = (row: RawUploadRow): UploadRow => ({
  ...row, accountId: Number(row.accountId), size: Number(row.size), createdAt: Number(row.createdAt),
});

/** Attachment uploads waiting to be used by a sent message or draft (table `uploads`). */
@Injectable()
export class UploadRepository {
  constructor(private readonly store: StoreService) {}

  async insert(manager: EntityManager, row: UploadRow): Promise<void> {
    await manager.query('INSERT INTO uploads (id, accountId, blobId, filename, contentType, size, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [row.id, row.accountId, row.blobId, row.filename, row.contentType, row.size, row.createdAt]);
  }

  /** The account's uploads among `ids` (others' ids simply do not match). */
  async find(accountId: number, ids: readonly string[]): Promise<UploadRow[]> {
    if (ids.length === 0) return [];
    const rows: RawUploadRow[] = await this.store.reader.query(
      `SELECT id, accountId, blobId, filename, contentType, size, createdAt FROM uploads WHERE accountId = ? AND id IN (${ids.map(() => '?').join(', ')})`,
      [accountId, ...ids]);
    return rows.map(fromRaw);
  }

  /** Uploads created before `before`: the account's, or anyone's when `accountId` is null; at most `limit`. */
  async expired(manager: EntityManager, accountId: number | null, before: number, limit: number): Promise<UploadRow[]> {
    const rows = accountId === null
      ? await sqlAll<RawUploadRow>(manager, `SELECT ${COLUMNS} FROM uploads WHERE createdAt < ? ORDER BY createdAt LIMIT ?`, [before, limit])
      : await sqlAll<RawUploadRow>(manager, `SELECT ${COLUMNS} FROM uploads WHERE accountId = ? AND createdAt < ? ORDER BY createdAt LIMIT ?`, [accountId, before, limit]);
    return rows.map(fromRaw);
  }

  /** How many uploads the account holds and their bytes. */
  async usage(manager: EntityManager, accountId: number): Promise<{ count: number; bytes: number }> {
    const row = await sqlOne<{ count: number | string; bytes: number | string | null }>(manager,
      'SELECT COUNT(*) AS `count`, SUM(size) AS `bytes` FROM uploads WHERE accountId = ?', [accountId]);
    return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /** The account's quota and what it uses now (0 = unlimited), or null for an account that is gone. */
  async quota(manager: EntityManager, accountId: number): Promise<{ quotaBytes: number; usedBytes: number } | null> {
    const row = await sqlOne<{ quotaBytes: number | string; usedBytes: number | string }>(manager,
      'SELECT `quotaBytes`, `usedBytes` FROM `accounts` WHERE `id` = ?', [accountId]);
    return row ? { quotaBytes: Number(row.quotaBytes), usedBytes: Number(row.usedBytes) } : null;
  }

  /**
   * Deletes one upload; false when it was gone already. Whoever deletes the row releases its quota and blob
   * reference, so two nodes purging at once, or a purge racing a send, release them once.
   */
  async deleteOne(manager: EntityManager, id: string): Promise<boolean> {
    return (await sqlRun(manager, 'DELETE FROM uploads WHERE id = ?', [id])).changes > 0;
  }
}

const COLUMNS = 'id, accountId, blobId, filename, contentType, size, createdAt';
