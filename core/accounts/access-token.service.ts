import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { StoreService } from '../store/store.service.js';
import {
  deleteToken, deleteTokenBySecretHash, findLiveSession, hashSecret, insertToken, listTokens, trimSessionsOf,
} from '../store/repositories/access-token.repository.js';
import { findEnabledAccount } from '../store/repositories/directory.repository.js';
import type { Account } from './account.js';
import type { AccessToken, AccessTokenKind } from './access-token.js';

export interface IssuedToken {
  id: number;
  /** Shown once; only its hash is kept. */
  secret: string;
  expiresAt: number;
}

/**
 * Live login sessions one account may hold; issuing one more revokes the oldest. Bounds the rows a client that logs
 * in again and again (or a stolen password) can pile up, while leaving room for every device a person owns.
 */
export const MAX_SESSIONS_PER_ACCOUNT = 50;

/** Bearer tokens of GraphQL sessions and app passwords for IMAP/POP3/SMTP clients. */
@Injectable()
export class AccessTokenService {
  constructor(private readonly store: StoreService, @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig) {}

  async issue(accountId: number, kind: AccessTokenKind, label = ''): Promise<IssuedToken> {
    const secret = randomBytes(kind === 'session' ? 32 : 18).toString(kind === 'session' ? 'base64url' : 'hex');
    const now = Date.now();
    const expiresAt = kind === 'session' ? now + this.config.sessionTtlSeconds * 1000 : 0;
    const id = await this.store.transaction(async (manager) => {
      const tokenId = await insertToken(manager, { secretHash: hashSecret(secret), accountId, kind, label, createdAt: now, expiresAt });
      if (kind === 'session') await trimSessionsOf(manager, accountId, MAX_SESSIONS_PER_ACCOUNT, now);
      return tokenId;
    });
    return { id, secret, expiresAt };
  }

  /** The enabled, unexpired account a session token belongs to, or null when the token is unknown, expired or revoked. */
  async verifySession(secret: string): Promise<{ account: Account; token: AccessToken } | null> {
    const token = await findLiveSession(this.store.reader, hashSecret(secret), Date.now());
    if (!token) return null;
    const account = await findEnabledAccount(this.store.reader, token.accountId);
    // An account that expired after the login loses its sessions with it.
    if (!account || account.expiresAt > 0 && Date.now() >= account.expiresAt) return null;
    return { account, token };
  }

  async list(accountId: number, kind: AccessTokenKind): Promise<AccessToken[]> {
    return listTokens(this.store.reader, accountId, kind);
  }

  /** Revokes one of the account's tokens; false when it has no such token. */
  async revoke(accountId: number, id: number): Promise<boolean> {
    return this.store.transaction((manager) => deleteToken(manager, accountId, id));
  }

  async revokeSecret(secret: string): Promise<void> {
    await this.store.transaction((manager) => deleteTokenBySecretHash(manager, hashSecret(secret)));
  }
}
