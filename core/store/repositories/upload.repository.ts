import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlAll, sqlOne, sqlRun } from '../raw-sql.js';
import type { PendingUpload } from '../../mail/pending-upload.js';
import { StoreService } from '../store.service.js';
import { MailRepository } from './mail.repository.js';

interface RawPendingUpload {
  id: string;
  accountId: number | string;
  blobId: string;
  filename: string;
  contentType: string;
  size: number | string;
  createdAt: number | string;
}

const fromRaw = (row: RawPendingUpload): PendingUpload => ({
  ...row,
  accountId: Number(row.accountId),
  size: Number(row.size),
  createdAt: Number(row.createdAt),
});

/**
 * Attachment uploads waiting to be used by a sent message or draft (table `uploads`). Core owns the table, though
 * only the webmail takes uploads: an upload holds quota and a blob reference, which the store keeps, and removing
 * an account removes its uploads. Inserting and deleting a row therefore add and release its blob reference in the
 * same transaction, so no caller can forget them; the quota charge comes first and decides (see UploadsService).
 */
@Injectable()
export class UploadRepository {
  constructor(
    private readonly store: StoreService,
    private readonly mail: MailRepository,
  ) {}

  /** Inserts the row and takes its blob reference; its quota must have been charged in the same transaction. */
  async insert(manager: EntityManager, row: PendingUpload): Promise<void> {
    await sqlRun(
      manager,
      'INSERT INTO `uploads` (`id`, `accountId`, `blobId`, `filename`, `contentType`, `size`, `createdAt`) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [row.id, row.accountId, row.blobId, row.filename, row.contentType, row.size, row.createdAt],
    );
    await this.mail.addBlobRefs(manager, row.blobId, row.size, 1);
  }

  /** The account's uploads among `ids` (others' ids simply do not match). */
  async find(accountId: number, ids: readonly string[]): Promise<PendingUpload[]> {
    if (ids.length === 0) return [];
    const rows: RawPendingUpload[] = await this.store.reader.query(
      `SELECT id, accountId, blobId, filename, contentType, size, createdAt FROM uploads WHERE accountId = ? AND id IN (${ids.map(() => '?').join(', ')})`,
      [accountId, ...ids],
    );
    return rows.map(fromRaw);
  }

  /** Uploads created before `before`: the account's, or anyone's when `accountId` is null; at most `limit`. */
  async expired(manager: EntityManager, accountId: number | null, before: number, limit: number): Promise<PendingUpload[]> {
    const rows =
      accountId === null
        ? await sqlAll<RawPendingUpload>(manager, `SELECT ${COLUMNS} FROM uploads WHERE createdAt < ? ORDER BY createdAt LIMIT ?`, [
            before,
            limit,
          ])
        : await sqlAll<RawPendingUpload>(
            manager,
            `SELECT ${COLUMNS} FROM uploads WHERE accountId = ? AND createdAt < ? ORDER BY createdAt LIMIT ?`,
            [accountId, before, limit],
          );
    return rows.map(fromRaw);
  }

  /** How many uploads the account holds and their bytes. */
  async usage(manager: EntityManager, accountId: number): Promise<{ count: number; bytes: number }> {
    const row = await sqlOne<{ count: number | string; bytes: number | string | null }>(
      manager,
      'SELECT COUNT(*) AS `count`, SUM(size) AS `bytes` FROM uploads WHERE accountId = ?',
      [accountId],
    );
    return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /** The account's quota and what it uses now (0 = unlimited), or null for an account that is gone. */
  async quota(manager: EntityManager, accountId: number): Promise<{ quotaBytes: number; usedBytes: number } | null> {
    const row = await sqlOne<{ quotaBytes: number | string; usedBytes: number | string }>(
      manager,
      'SELECT `quotaBytes`, `usedBytes` FROM `accounts` WHERE `id` = ?',
      [accountId],
    );
    return row ? { quotaBytes: Number(row.quotaBytes), usedBytes: Number(row.usedBytes) } : null;
  }

  /**
   * Deletes the uploads and releases the blob reference and quota of each row this call deleted; returns how many.
   * Whoever deletes a row releases them, so two nodes purging at once, or a purge racing a send, release them once.
   */
  async release(manager: EntityManager, rows: readonly PendingUpload[]): Promise<number> {
    const deleted: PendingUpload[] = [];
    for (const row of rows) if ((await sqlRun(manager, 'DELETE FROM uploads WHERE id = ?', [row.id])).changes > 0) deleted.push(row);
    if (deleted.length === 0) return 0;
    await this.mail.releaseBlobRefs(
      manager,
      deleted.map((row) => row.blobId),
    );
    const bytesByAccount = new Map<number, number>();
    for (const row of deleted) bytesByAccount.set(row.accountId, (bytesByAccount.get(row.accountId) ?? 0) + row.size);
    for (const [accountId, bytes] of bytesByAccount) await this.mail.releaseQuota(manager, accountId, bytes);
    return deleted.length;
  }

  /**
   * Deletes the account's uploads and releases their blob references, as part of removing the account (its quota
   * goes with its row).
   */
  async deleteAllOf(manager: EntityManager, accountId: number): Promise<void> {
    const rows = await sqlAll<{ blobId: string }>(manager, 'SELECT `blobId` FROM `uploads` WHERE `accountId` = ?', [accountId]);
    if (rows.length === 0) return;
    await sqlRun(manager, 'DELETE FROM `uploads` WHERE `accountId` = ?', [accountId]);
    await this.mail.releaseBlobRefs(
      manager,
      rows.map((row) => row.blobId),
    );
  }
}

const COLUMNS = 'id, accountId, blobId, filename, contentType, size, createdAt';
