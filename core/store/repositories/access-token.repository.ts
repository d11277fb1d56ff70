import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AccessTokenKind } from '../entities/access-token.entity.js';
import { sqlAll, sqlRun } from '../raw-sql.js';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Deletes the account's tokens of one kind, except the one whose secret hashes to `keepSecretHash`; returns how many. */
export async function deleteTokensOf(manager: EntityManager, accountId: number, kind: AccessTokenKind, keepSecretHash: string | null = null): Promise<number> {
  const keep = keepSecretHash === null ? '' : ' AND `secretHash` <> ?';
  const result = await sqlRun(manager, `DELETE FROM \`access_tokens\` WHERE \`accountId\` = ? AND \`kind\` = ?${keep}`,
    keepSecretHash === null ? [accountId, kind] : [accountId, kind, keepSecretHash]);
  return result.changes;
}

/**
 * Keeps at most `keep` live sessions of the account: expired ones go, then the oldest beyond the limit. The ids to
 * drop are read first because MySQL allows no LIMIT/OFFSET inside a DELETE's subquery on the same table.
 */
export async function trimSessionsOf(manager: EntityManager, accountId: number, keep: number, now: number): Promise<number> {
  const expired = await sqlRun(manager, 'DELETE FROM `access_tokens` WHERE `accountId` = ? AND `kind` = ? AND `expiresAt` <= ?', [accountId, 'session', now]);
  const surplus = await sqlAll<{ id: number | string }>(manager,
    'SELECT `id` FROM `access_tokens` WHERE `accountId` = ? AND `kind` = ? ORDER BY `createdAt` DESC, `id` DESC LIMIT 1000000 OFFSET ?',
    [accountId, 'session', keep]);
  if (surplus.length === 0) return expired.changes;
  const ids = surplus.map((row) => Number(row.id));
  const dropped = await sqlRun(manager, `DELETE FROM \`access_tokens\` WHERE \`id\` IN (${ids.map(() => '?').join(', ')})`, ids);
  return expired.changes + dropped.changes;
}
