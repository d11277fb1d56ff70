// The reads of recipient resolution at RCPT time. They run for every recipient of every message, so each is one
// plain indexed statement; a user address (the common case) costs one: its domain, account and INBOX together.
import type { EntityManager } from 'typeorm';
import { sqlAll, sqlOne } from '../raw-sql.js';

/** An account as delivery sees it: quota state and INBOX (null if it has none). */
export interface RecipientAccountRow {
  id: number;
  quotaBytes: number;
  usedBytes: number;
  enabled: boolean;
  inboxId: number | null;
}

type AccountRow = Record<'id' | 'quotaBytes' | 'usedBytes' | 'enabled', number | string | boolean> & { inboxId: number | string | null };

const ACCOUNT_COLUMNS = 'a.`id`, a.`quotaBytes`, a.`usedBytes`, a.`enabled`, m.`id` AS `inboxId`';
const WITH_INBOX = "LEFT JOIN `mailboxes` m ON m.`accountId` = a.`id` AND m.`path` = 'INBOX'";

function toRecipientAccount(row: AccountRow): RecipientAccountRow {
  return {
    id: Number(row.id),
    quotaBytes: Number(row.quotaBytes),
    usedBytes: Number(row.usedBytes),
    enabled: Boolean(Number(row.enabled)),
    inboxId: row.inboxId === null ? null : Number(row.inboxId),
  };
}

/**
 * The hosted domain of an address with its catch-all, and the account of that exact address if there is one; null
 * when the domain is not hosted here.
 */
export async function hostedRecipient(
  manager: EntityManager,
  address: string,
  domain: string,
): Promise<{ catchAll: string | null; account: RecipientAccountRow | null } | null> {
  const row = await sqlOne<AccountRow & { catchAll: string | null }>(
    manager,
    `SELECT d.\`catchAll\`, ${ACCOUNT_COLUMNS} FROM \`domains\` d LEFT JOIN \`accounts\` a ON a.\`address\` = ? ${WITH_INBOX} WHERE d.\`name\` = ?`,
    [address, domain],
  );
  if (!row) return null;
  return { catchAll: row.catchAll, account: row.id === null ? null : toRecipientAccount(row) };
}

export async function recipientAccount(manager: EntityManager, address: string): Promise<RecipientAccountRow | null> {
  const row = await sqlOne<AccountRow>(manager, `SELECT ${ACCOUNT_COLUMNS} FROM \`accounts\` a ${WITH_INBOX} WHERE a.\`address\` = ?`, [
    address,
  ]);
  return row ? toRecipientAccount(row) : null;
}

/** The accounts among `addresses` (at most a few hundred: one IN list), by address. */
export async function recipientAccounts(manager: EntityManager, addresses: readonly string[]): Promise<Map<string, RecipientAccountRow>> {
  if (addresses.length === 0) return new Map();
  const rows = await sqlAll<AccountRow & { address: string }>(
    manager,
    `SELECT a.\`address\`, ${ACCOUNT_COLUMNS} FROM \`accounts\` a ${WITH_INBOX} WHERE a.\`address\` IN (${addresses.map(() => '?').join(', ')})`,
    addresses,
  );
  return new Map(rows.map((row) => [row.address, toRecipientAccount(row)]));
}

export async function isHostedDomain(manager: EntityManager, domain: string): Promise<boolean> {
  return !!(await sqlOne(manager, 'SELECT 1 AS `hosted` FROM `domains` WHERE `name` = ?', [domain]));
}

/** The targets of the alias at `address`, or null when there is none. */
export async function recipientAliasTargets(manager: EntityManager, address: string): Promise<string[] | null> {
  const row = await sqlOne<{ targets: string }>(manager, 'SELECT `targets` FROM `aliases` WHERE `address` = ?', [address]);
  return row ? (JSON.parse(row.targets) as string[]) : null;
}
