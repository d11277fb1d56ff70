import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AccessTokenKind } from '../store/entities/access-token.entity.js';
import { sqlRun } from '../store/raw-sql.js';

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
