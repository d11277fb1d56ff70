import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { loginsTotal } from '../metrics/metrics-registry.js';
import { LOGGER } from '../logging/logger.js';
import { AccessTokenEntity } from '../store/entities/access-token.entity.js';
import { AccountEntity } from '../store/entities/account.entity.js';
import { StoreService } from '../store/store.service.js';
import { parseAddress } from './address.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { VerifiedPasswordCache } from './verified-password-cache.js';
import { clientNetwork } from '../util/client-network.js';

export type AuthProtocol = 'imap' | 'pop3' | 'smtp' | 'graphql' | 'cli';

export interface AuthRequest {
  username: string;
  password: string;
  remoteAddress: string;
  protocol: AuthProtocol;
}

export type AuthResult =
  | { ok: true; account: AccountEntity; via: 'password' | 'app_password' }
  | { ok: false; reason: 'invalid' | 'locked' | 'disabled' };

/** Verified against when the user does not exist, so a wrong user name costs the same time as a wrong password. */
const DUMMY_HASH = hashPassword('mailhive-dummy-password');

/**
 * The one authentication path of every protocol. After `authMaxFailures` failures in a row an account is locked
 * for `authLockoutSeconds` (kept in the database, so every node sees it); a client address (an IPv6 client's /64)
 * with as many failures inside that window is refused too (kept per node).
 */
@Injectable()
export class AuthService {
  private readonly addressFailures = new Map<string, { count: number; since: number }>();
  private readonly verified: VerifiedPasswordCache;

  constructor(
    private readonly store: StoreService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.verified = new VerifiedPasswordCache(config.authCacheSeconds * 1000);
  }

  async authenticate(request: AuthRequest): Promise<AuthResult> {
    const result = await this.decide(request);
    loginsTotal.inc({ protocol: request.protocol, outcome: result.ok ? 'ok' : result.reason });
    return result;
  }

  private async decide(request: AuthRequest): Promise<AuthResult> {
    const now = Date.now();
    const log = { user: request.username, remote: request.remoteAddress, protocol: request.protocol };
    if (this.addressLocked(request.remoteAddress, now)) {
      this.logger.warn(log, 'login refused: client address locked out');
      return { ok: false, reason: 'locked' };
    }
    const address = parseAddress(request.username);
    const account = address ? await this.store.reader.findOneBy(AccountEntity, { address: address.normalized }) : null;
    if (!account) {
      await verifyPassword(request.password, await DUMMY_HASH);
      this.noteAddressFailure(request.remoteAddress, now);
      this.logger.info(log, 'login failed: unknown user');
      return { ok: false, reason: 'invalid' };
    }
    if (account.lockedUntil > now) {
      this.logger.warn(log, 'login refused: account locked out');
      return { ok: false, reason: 'locked' };
    }
    const via = await this.check(account, request.password);
    if (!via) {
      this.noteAddressFailure(request.remoteAddress, now);
      await this.noteAccountFailure(account, now);
      this.logger.info(log, 'login failed: wrong password');
      return { ok: false, reason: 'invalid' };
    }
    if (!account.enabled) {
      this.logger.info(log, 'login refused: account disabled');
      return { ok: false, reason: 'disabled' };
    }
    if (account.failedLogins > 0) {
      await this.store.transaction((manager) => manager.update(AccountEntity, { id: account.id }, { failedLogins: 0 }));
    }
    this.addressFailures.delete(clientNetwork(request.remoteAddress));
    this.logger.info({ ...log, via }, 'login');
    return { ok: true, account, via };
  }

  private async check(account: AccountEntity, password: string): Promise<'password' | 'app_password' | null> {
    if (this.verified.matches(account.id, password, account.passwordHash)) return 'password';
    if (await verifyPassword(password, account.passwordHash)) {
      this.verified.remember(account.id, password, account.passwordHash);
      return 'password';
    }
    // App passwords are long random secrets: a SHA-256 lookup is enough and needs no slow KDF.
    const secretHash = createHash('sha256').update(password).digest('hex');
    const token = await this.store.reader.findOneBy(AccessTokenEntity, { secretHash, accountId: account.id, kind: 'app_password' });
    return token ? 'app_password' : null;
  }

  private async noteAccountFailure(account: AccountEntity, now: number): Promise<void> {
    await this.store.transaction(async (manager) => {
      const fresh = await manager.findOneByOrFail(AccountEntity, { id: account.id });
      const failedLogins = fresh.failedLogins + 1;
      const lock = failedLogins >= this.config.authMaxFailures;
      await manager.update(AccountEntity, { id: account.id }, {
        failedLogins: lock ? 0 : failedLogins,
        lockedUntil: lock ? now + this.config.authLockoutSeconds * 1000 : fresh.lockedUntil,
      });
      if (lock) this.logger.warn({ user: account.address }, 'account locked out after repeated login failures');
    });
  }

  private addressLocked(remoteAddress: string, now: number): boolean {
    const network = clientNetwork(remoteAddress);
    const entry = this.addressFailures.get(network);
    if (!entry) return false;
    if (now - entry.since > this.config.authLockoutSeconds * 1000) {
      this.addressFailures.delete(network);
      return false;
    }
    // An address may fail several accounts' worth of attempts before it is refused (shared NAT gateways).
    return entry.count >= this.config.authMaxFailures * 4;
  }

  private noteAddressFailure(remoteAddress: string, now: number): void {
    const network = clientNetwork(remoteAddress);
    const entry = this.addressFailures.get(network);
    if (!entry || now - entry.since > this.config.authLockoutSeconds * 1000) {
      this.addressFailures.set(network, { count: 1, since: now });
    } else {
      entry.count++;
    }
  }
}
