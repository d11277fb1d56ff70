import type { AccessTokenKind } from '../store/entities/access-token.entity.js';

export type { AccessTokenKind };

/** A session or app password as listed to its owner: never its secret nor the secret's hash. */
export interface AccessToken {
  id: number;
  accountId: number;
  kind: AccessTokenKind;
  label: string;
  createdAt: number;
  /** 0 = never expires (app passwords). */
  expiresAt: number;
  lastUsedAt: number;
  /** The protocols an app password opens (imap, pop3, smtp). */
  protocols: string[];
  /** The client address of an app password's last use, or ''. */
  lastAddress: string;
  /** The User-Agent a session signed in with, or ''. */
  userAgent: string;
}

export function toAccessToken(row: AccessToken): AccessToken {
  return {
    id: row.id,
    accountId: row.accountId,
    kind: row.kind,
    label: row.label,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    protocols: row.protocols,
    lastAddress: row.lastAddress,
    userAgent: row.userAgent,
  };
}
