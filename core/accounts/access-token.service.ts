import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import { StoreService } from '../store/store.service.js';
import {
  deleteToken,
  deleteTokenBySecretHash,
  deleteTokensOf,
  findLiveSession,
  hashSecret,
  insertToken,
  listTokens,
  touchToken,
  trimSessionsOf,
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

/** Label of the sessions WebAdmin's sign-in opens: they end after MAILHIVE_ADMIN_IDLE_TIMEOUT_SECONDS unused. */
export const ADMIN_SESSION_LABEL = 'webadmin';

/** Where a session was opened from, shown in the user's list of sessions. */
export interface SessionClient {
  address: string;
  userAgent: string;
}

/** Longest User-Agent kept: enough to name the browser and system, bounded whatever a client sends. */
const MAX_USER_AGENT = 200;

/** An idle clock moves at most this often (or a quarter of the timeout), so a busy admin page costs one write a minute. */
const IDLE_TOUCH_MS = 60_000;

/** Bearer tokens of GraphQL sessions and app passwords for IMAP/POP3/SMTP clients. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly store: StoreService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(EVENT_BUS) private readonly events: EventBus,
  ) {}

  /**
   * `protocols`: what an app password opens (imap, pop3, smtp); every one of them by default. `client`: where a
   * session is opened from.
   */
  async issue(
    accountId: number,
    kind: AccessTokenKind,
    label = '',
    protocols?: readonly string[],
    client?: SessionClient,
  ): Promise<IssuedToken> {
    const secret = randomBytes(kind === 'session' ? 32 : 18).toString(kind === 'session' ? 'base64url' : 'hex');
    const now = Date.now();
    const expiresAt = kind === 'session' ? now + this.config.sessionTtlSeconds * 1000 : 0;
    const id = await this.store.transaction(async (manager) => {
      const tokenId = await insertToken(manager, {
        secretHash: hashSecret(secret),
        accountId,
        kind,
        label,
        createdAt: now,
        expiresAt,
        ...(protocols ? { protocols: [...protocols] } : {}),
        ...(client ? { lastAddress: client.address.slice(0, 64), userAgent: client.userAgent.slice(0, MAX_USER_AGENT) } : {}),
      });
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
    if (!account || (account.expiresAt > 0 && Date.now() >= account.expiresAt)) return null;
    if (token.label === ADMIN_SESSION_LABEL) {
      if (!(await this.stillActive(token))) return null;
    } else if (Date.now() - token.lastUsedAt >= IDLE_TOUCH_MS) {
      // "Last seen" in the user's list of sessions, to the minute: one write a minute per busy session.
      await this.store.transaction((manager) => touchToken(manager, token.id, Date.now()));
    }
    return { account, token };
  }

  /** An admin session's idle clock: an idle one is deleted, a live one touched. */
  private async stillActive(token: AccessToken): Promise<boolean> {
    const now = Date.now();
    const idleMs = this.config.adminIdleTimeoutSeconds * 1000;
    if (now - token.lastUsedAt > idleMs) {
      await this.store.transaction((manager) => deleteToken(manager, token.accountId, token.id));
      return false;
    }
    if (now - token.lastUsedAt >= Math.min(IDLE_TOUCH_MS, idleMs / 4))
      await this.store.transaction((manager) => touchToken(manager, token.id, now));
    return true;
  }

  /** Ends every session of the account (sign out everywhere); returns how many. */
  revokeSessions(accountId: number): Promise<number> {
    return this.store.transaction((manager) => deleteTokensOf(manager, accountId, 'session'));
  }

  async list(accountId: number, kind: AccessTokenKind): Promise<AccessToken[]> {
    return listTokens(this.store.reader, accountId, kind);
  }

  /**
   * Revokes one of the account's tokens; false when it has no such token. The mail sessions an app password opened
   * end with it, on every node (see the 'credential.revoked' event).
   */
  async revoke(accountId: number, id: number): Promise<boolean> {
    const revoked = await this.store.transaction((manager) => deleteToken(manager, accountId, id));
    if (revoked) this.events.emit('credential.revoked', { accountId, credentialId: id });
    return revoked;
  }

  async revokeSecret(secret: string): Promise<void> {
    await this.store.transaction((manager) => deleteTokenBySecretHash(manager, hashSecret(secret)));
  }
}
