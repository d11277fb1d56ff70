import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MoreThan } from 'typeorm';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { AccessTokenEntity, type AccessTokenKind } from '../store/entities/access-token.entity.js';
import { AccountEntity } from '../store/entities/account.entity.js';
import { StoreService } from '../store/store.service.js';
import { hashSecret, trimSessionsOf } from '../store/repositories/access-token.repository.js';
import { toAccount, type Account } from './account.js';
import { toAccessToken, type AccessToken } from './access-token.js';

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
      const result = await manager.insert(AccessTokenEntity, { secretHash: hashSecret(secret), accountId, kind, label, createdAt: now, expiresAt, lastUsedAt: now });
      if (kind === 'session') await trimSessionsOf(manager, accountId, MAX_SESSIONS_PER_ACCOUNT, now);
      return Number(result.identifiers[0].id);
    });
    return { id, secret, expiresAt };
  }

  /** The enabled, unexpired account a session token belongs to, or null when the token is unknown, expired or revoked. */
  async verifySession(secret: string): Promise<{ account: Account; token: AccessToken } | null> {
    const token = await this.store.reader.findOneBy(AccessTokenEntity, { secretHash: hashSecret(secret), kind: 'session', expiresAt: MoreThan(Date.now()) });
    if (!token) return null;
    const account = await this.store.reader.findOneBy(AccountEntity, { id: token.accountId, enabled: true });
    // An account that expired after the login loses its sessions with it.
    if (!account || account.expiresAt > 0 && Date.now() >= account.expiresAt) return null;
    return { account: toAccount(account), token: toAccessToken(token) };
  }

  async list(accountId: number, kind: AccessTokenKind): Promise<AccessToken[]> {
    return (await this.store.reader.find(AccessTokenEntity, { where: { accountId, kind }, order: { createdAt: 'DESC' } })).map(toAccessToken);
  }

  /** Revokes one of the account's tokens; false when it has no such token. */
  async revoke(accountId: number, id: number): Promise<boolean> {
    const result = await this.store.transaction((manager) => manager.delete(AccessTokenEntity, { id, accountId }));
    return (result.affected ?? 0) > 0;
  }

  async revokeSecret(secret: string): Promise<void> {
    await this.store.transaction((manager) => manager.delete(AccessTokenEntity, { secretHash: hashSecret(secret) }));
  }
}
