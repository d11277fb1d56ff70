import type { EntityManager } from 'typeorm';
import { isMysql, sqlAll, sqlRun } from '../raw-sql.js';
import type { ThrottleRow } from '../../accounts/login-throttle.policy.js';

export interface ThrottleKey {
  id: string;
  subject: string;
}

interface RawRow {
  id: string;
  failures: number | string;
  lockouts: number | string;
  lockedUntil: number | string;
  updatedAt: number | string;
}

/**
 * Creates the rows that do not exist yet, in id order. On MySQL this runs as a transaction of its own before the
 * one that locks the rows: two transactions that both found a row missing and both inserted it inside their
 * locking transaction would deadlock on the duplicate key.
 */
export async function ensureThrottleRows(manager: EntityManager, keys: readonly ThrottleKey[]): Promise<void> {
  const sorted = [...keys].sort((a, b) => a.id.localeCompare(b.id));
  const values = sorted.map(() => '(?, ?)').join(', ');
  const conflict = isMysql(manager) ? 'ON DUPLICATE KEY UPDATE `id` = `id`' : 'ON CONFLICT (`id`) DO NOTHING';
  await sqlRun(
    manager,
    `INSERT INTO \`login_throttle\` (\`id\`, \`subject\`) VALUES ${values} ${conflict}`,
    sorted.flatMap((key) => [key.id, key.subject]),
  );
}

/** Reads the rows inside the caller's transaction; on MySQL they stay locked until it ends (taken in id order). */
export async function lockThrottleRows(manager: EntityManager, ids: readonly string[]): Promise<Map<string, ThrottleRow>> {
  const forUpdate = isMysql(manager) ? ' FOR UPDATE' : '';
  const rows = await sqlAll<RawRow>(
    manager,
    `SELECT \`id\`, \`failures\`, \`lockouts\`, \`lockedUntil\`, \`updatedAt\` FROM \`login_throttle\` WHERE \`id\` IN (${ids.map(() => '?').join(', ')}) ORDER BY \`id\`${forUpdate}`,
    [...ids],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        failures: Number(row.failures),
        lockouts: Number(row.lockouts),
        lockedUntil: Number(row.lockedUntil),
        updatedAt: Number(row.updatedAt),
      },
    ]),
  );
}

export async function saveThrottleRow(manager: EntityManager, id: string, row: ThrottleRow): Promise<void> {
  await sqlRun(manager, 'UPDATE `login_throttle` SET `failures` = ?, `lockouts` = ?, `lockedUntil` = ?, `updatedAt` = ? WHERE `id` = ?', [
    row.failures,
    row.lockouts,
    row.lockedUntil,
    row.updatedAt,
    id,
  ]);
}

/** Takes one failure back, atomically, without touching the window. */
export async function releaseThrottleFailure(manager: EntityManager, id: string): Promise<void> {
  await sqlRun(manager, 'UPDATE `login_throttle` SET `failures` = `failures` - 1 WHERE `id` = ? AND `failures` > 0', [id]);
}

export async function deleteThrottleRow(manager: EntityManager, id: string): Promise<void> {
  await sqlRun(manager, 'DELETE FROM `login_throttle` WHERE `id` = ?', [id]);
}

/** Lifts every lock and forgets every failure of a login name, from any network. */
export async function deleteThrottleRowsOf(manager: EntityManager, subject: string): Promise<void> {
  await sqlRun(manager, 'DELETE FROM `login_throttle` WHERE `subject` = ?', [subject]);
}

/** Drops rows quiet since `before`, which no longer lock or count anything. */
export async function purgeThrottleRows(manager: EntityManager, before: number): Promise<number> {
  const result = await sqlRun(manager, 'DELETE FROM `login_throttle` WHERE `updatedAt` < ? AND `lockedUntil` < ?', [before, before]);
  return result.changes;
}
