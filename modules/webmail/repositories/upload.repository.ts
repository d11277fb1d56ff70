import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

  async expired(manager: EntityManager, accountId: number, before: number): Promise<UploadRow[]> {
    const rows: RawUploadRow[] = await manager.query(
      'SELECT id, accountId, blobId, filename, contentType, size, createdAt FROM uploads WHERE accountId = ? AND createdAt < ?', [accountId, before]);
    return rows.map(fromRaw);
  }

  async delete(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`DELETE FROM uploads WHERE id IN (${ids.map(() => '?').join(', ')})`, [...ids]);
  }
}
