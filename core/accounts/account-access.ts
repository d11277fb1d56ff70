import type { Account } from './account.js';

/** The ways an account may log in, each switched on or off per account. */
export const ACCOUNT_PROTOCOLS = ['smtp', 'imap', 'pop3', 'webmail', 'mobile'] as const;
export type AccountProtocol = (typeof ACCOUNT_PROTOCOLS)[number];

/**
 * What a login asks for: one of the protocols, `admin` (WebAdmin: an admin role, whatever the protocol switches
 * say), or `any` (a check of the password by a session that already exists, and the CLI).
 */
export type LoginAccess = AccountProtocol | 'admin' | 'any';

/** Why an account with the right password may not log in. */
export type AccessRefusal = 'disabled' | 'expired' | 'protocol' | 'not_admin';

export function isAccountProtocol(word: string): word is AccountProtocol {
  return (ACCOUNT_PROTOCOLS as readonly string[]).includes(word);
}

/** `imap,pop3` → the protocols in their canonical order, or null when a word names none (or the list is empty). */
export function parseProtocols(text: string): AccountProtocol[] | null {
  const words = text
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== '');
  if (words.length === 0 || !words.every(isAccountProtocol)) return null;
  return ACCOUNT_PROTOCOLS.filter((protocol) => words.includes(protocol));
}

/** `YYYY-MM-DD` → the first millisecond of that day (UTC), from which the account is expired; null for no date. */
export function parseExpiryDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = Date.UTC(year, month - 1, day);
  const date = new Date(at);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? at : null;
}

export function isAdminRole(role: string): boolean {
  return role === 'system_admin' || role === 'domain_admin';
}

/** Whether the account may log in for `access` at `now`; null when it may. Checked after the password. */
export function accessRefusal(
  account: Pick<Account, 'enabled' | 'expiresAt' | 'protocols' | 'role'>,
  access: LoginAccess,
  now = Date.now(),
): AccessRefusal | null {
  if (!account.enabled) return 'disabled';
  if (account.expiresAt > 0 && now >= account.expiresAt) return 'expired';
  if (access === 'admin') return isAdminRole(account.role) ? null : 'not_admin';
  if (access !== 'any' && !account.protocols.includes(access)) return 'protocol';
  return null;
}
