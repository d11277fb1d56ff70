import type { Request } from 'express';
import type { Account } from '../accounts/account.js';

/** What every resolver sees: the authenticated account (if the bearer token was valid) and its token. */
export interface GraphqlContext {
  req?: Request;
  account: Account | null;
  token: string | null;
  remoteAddress: string;
}

/** Where a sign-in comes from, kept with its session for the user's list of sessions. */
export function sessionClient(context: GraphqlContext): { address: string; userAgent: string } {
  const agent = context.req?.headers['user-agent'];
  return { address: context.remoteAddress, userAgent: typeof agent === 'string' ? agent : '' };
}

/** `Bearer <token>` → token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}
