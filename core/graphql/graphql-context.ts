import type { Request } from 'express';
import type { AccountEntity } from '../store/entities/account.entity.js';

/** What every resolver sees: the authenticated account (if the bearer token was valid) and its token. */
export interface GraphqlContext {
  req?: Request;
  account: AccountEntity | null;
  token: string | null;
  remoteAddress: string;
}

/** `Bearer <token>` → token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}
