import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { MoreThan } from 'typeorm';
import { toAccessToken, type AccessToken } from '../../accounts/access-token.js';
import { AccessTokenEntity, type AccessTokenKind } from '../entities/access-token.entity.js';
import { sqlAll, sqlRun } from '../raw-sql.js';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Deletes the account's tokens of one kind, except the one whose secret hashes to `keepSecretHash`; returns how many. */
export async function deleteTokensOf(
  manager: EntityManager,
  accountId: number,
  kind: AccessTokenKind,
  keepSecretHash: string | null = null,
): Promise<number> {
  const keep = keepSecretHash === null ? '' : ' AND `secretHash` <> ?';
  const result = await sqlRun(
    manager,
    `DELETE FROM \`access_tokens\` WHERE \`accountId\` = ? AND \`kind\` = ?${keep}`,
    keepSecretHash === null ? [accountId, kind] : [accountId, kind, keepSecretHash],
  );
  return result.changes;
}

/**
 * Keeps at most `keep` live sessions of the account: expired ones go, then the oldest beyond the limit. The ids to
 * drop are read first because MySQL allows no LIMIT/OFFSET inside a DELETE's subquery on the same table.
 */
export async function trimSessionsOf(manager: EntityManager, accountId: number, keep: number, now: number): Promise<number> {
  const expired = await sqlRun(manager, 'DELETE FROM `access_tokens` WHERE `accountId` = ? AND `kind` = ? AND `expiresAt` <= ?', [
    accountId,
    'session',
    now,
  ]);
  const surplus = await sqlAll<{ id: number | string }>(
    manager,
    'SELECT `id` FROM `access_tokens` WHERE `accountId` = ? AND `kind` = ? ORDER BY `createdAt` DESC, `id` DESC LIMIT 1000000 OFFSET ?',
    [accountId, 'session', keep],
  );
  if (surplus.length === 0) return expired.changes;
  const ids = surplus.map((row) => Number(row.id));
  const dropped = await sqlRun(manager, `DELETE FROM \`access_tokens\` WHERE \`id\` IN (${ids.map(() => '?').join(', ')})`, ids);
  return expired.changes + dropped.changes;
}

/** Stores a token by the hash of its secret; returns its id. */
export async function insertToken(
  manager: EntityManager,
  row: {
    secretHash: string;
    accountId: number;
    kind: AccessTokenKind;
    label: string;
    createdAt: number;
    expiresAt: number;
    protocols?: string[];
    lastAddress?: string;
    userAgent?: string;
  },
): Promise<number> {
  const result = await manager.insert(AccessTokenEntity, { ...row, lastUsedAt: row.createdAt });
  return Number(result.identifiers[0].id);
}

/** The unexpired session whose secret hashes to `secretHash`, or null. */
export async function findLiveSession(manager: EntityManager, secretHash: string, now: number): Promise<AccessToken | null> {
  const row = await manager.findOneBy(AccessTokenEntity, { secretHash, kind: 'session', expiresAt: MoreThan(now) });
  return row ? toAccessToken(row) : null;
}

/** The account's app password whose secret hashes to `secretHash` (its id, protocols and last use), or null. */
export async function findAppPassword(
  manager: EntityManager,
  accountId: number,
  secretHash: string,
): Promise<{ id: number; protocols: string[]; lastUsedAt: number; lastAddress: string } | null> {
  const row = await manager.findOneBy(AccessTokenEntity, { secretHash, accountId, kind: 'app_password' });
  return row ? { id: row.id, protocols: row.protocols, lastUsedAt: row.lastUsedAt, lastAddress: row.lastAddress } : null;
}

/** Records a use of an app password: when and from which client address. */
export async function touchAppPassword(manager: EntityManager, id: number, at: number, address: string): Promise<void> {
  await manager.update(AccessTokenEntity, { id }, { lastUsedAt: at, lastAddress: address });
}

/** The account's tokens of one kind, newest first. */
export async function listTokens(manager: EntityManager, accountId: number, kind: AccessTokenKind): Promise<AccessToken[]> {
  return (await manager.find(AccessTokenEntity, { where: { accountId, kind }, order: { createdAt: 'DESC' } })).map(toAccessToken);
}

/** Deletes one of the account's tokens; false when it has no such token. */
export async function deleteToken(manager: EntityManager, accountId: number, id: number): Promise<boolean> {
  return ((await manager.delete(AccessTokenEntity, { id, accountId })).affected ?? 0) > 0;
}

/** Records a use of the token (an admin session's idle clock). */
export async function touchToken(manager: EntityManager, id: number, at: number): Promise<void> {
  await manager.update(AccessTokenEntity, { id }, { lastUsedAt: at });
}

export async function deleteTokenBySecretHash(manager: EntityManager, secretHash: string): Promise<void> {
  await manager.delete(AccessTokenEntity, { secretHash });
}
