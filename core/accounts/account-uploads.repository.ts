import type { EntityManager } from 'typeorm';
import { sqlAll, sqlRun } from '../store/raw-sql.js';

/**
 * Deletes the account's pending attachment uploads (table `uploads`, created by the core schema for the webmail
 * module) and returns the blob ids they referenced, so the caller can release those references.
 */
export async function deleteUploadsOf(manager: EntityManager, accountId: number): Promise<string[]> {
  const rows = await sqlAll<{ blobId: string }>(manager, 'SELECT `blobId` FROM `uploads` WHERE `accountId` = ?', [accountId]);
  if (rows.length > 0) await sqlRun(manager, 'DELETE FROM `uploads` WHERE `accountId` = ?', [accountId]);
  return rows.map((row) => row.blobId);
}
