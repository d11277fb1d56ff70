import type { Principal } from './principal.js';

/** An account as services hand it out: the principal with its profile and limits, never its password hash. */
export interface Account extends Principal {
  displayName: string;
  /** Bytes; 0 means unlimited. */
  quotaBytes: number;
  /** Bytes of every stored message and pending upload of the account. */
  usedBytes: number;
  enabled: boolean;
  /** The protocols the account may log in with (see account-access.ts). */
  protocols: string[];
  /** Milliseconds since the epoch from which every login is refused; 0 means never. */
  expiresAt: number;
  createdAt: number;
}

/** The principal part of an account, for callers that pass the logged-in identity on. */
export function principalOf(account: Principal): Principal {
  return { id: account.id, address: account.address, role: account.role, domainId: account.domainId };
}

/** The account's fields and nothing more: a stored row carries its password hash, which stays in the store. */
export function toAccount(row: Account): Account {
  return {
    id: row.id,
    address: row.address,
    role: row.role,
    domainId: row.domainId,
    displayName: row.displayName,
    quotaBytes: row.quotaBytes,
    usedBytes: row.usedBytes,
    enabled: row.enabled,
    protocols: row.protocols,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}
