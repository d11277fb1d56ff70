import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { loginsTotal } from '../metrics/metrics-registry.js';
import { LOGGER } from '../logging/logger.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import { findAppPassword, touchAppPassword } from '../store/repositories/access-token.repository.js';
import { findCredentials } from '../store/repositories/directory.repository.js';
import { StoreService } from '../store/store.service.js';
import type { Account } from './account.js';
import { accessRefusal, type AccessRefusal, type LoginAccess } from './account-access.js';
import { parseAddress } from '../envelope/address.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { LoginThrottle } from './login-throttle.js';
import { activity } from '../events/activity-events.js';
import { VerifiedPasswordCache } from './verified-password-cache.js';
import { TwoFactorService } from './two-factor.service.js';

export type AuthProtocol = 'imap' | 'pop3' | 'smtp' | 'graphql' | 'cli';

/** The protocols of mail clients: the only ones an app password opens, and the ones that take no second factor. */
const MAIL_CLIENT_PROTOCOLS: ReadonlySet<AuthProtocol> = new Set(['imap', 'pop3', 'smtp']);

export interface AuthRequest {
  username: string;
  password: string;
  remoteAddress: string;
  protocol: AuthProtocol;
  /** What the login is for; by default the protocol's own switch (GraphQL: `mobile`, the apps' login; CLI: any). */
  access?: LoginAccess;
}

/**
 * `disabled` covers every refusal of a right password (disabled, expired, protocol switched off, not an admin), so
 * each protocol answers them alike; `refusal` says which, for the log and for surfaces that tell them apart.
 */
export type AuthResult =
  | {
      ok: true;
      account: Account;
      via: 'password' | 'app_password';
      /** The app password's id (via app_password), else null. */ credentialId: number | null;
    }
  | { ok: false; reason: 'invalid' | 'locked' }
  | { ok: false; reason: 'disabled'; refusal: AccessRefusal };

/**
 * A sign-in that opens a session (webmail, apps, WebAdmin): an account with two-factor sign-in on also needs a code.
 * `second_factor_required`: the password was right and no code came; `second_factor_invalid`: the code was wrong (it
 * counts as a failed login).
 */
export type SignInResult = AuthResult | { ok: false; reason: 'second_factor_required' | 'second_factor_invalid' };

export interface SignInRequest extends AuthRequest {
  /** A TOTP code or a recovery code; null or empty when the client has not asked the user for one yet. */
  secondFactor: string | null;
}

const DEFAULT_ACCESS: Record<AuthProtocol, LoginAccess> = { imap: 'imap', pop3: 'pop3', smtp: 'smtp', graphql: 'mobile', cli: 'any' };

const REFUSAL_LOG: Record<AccessRefusal, string> = {
  disabled: 'account disabled',
  expired: 'account expired',
  protocol: 'protocol not allowed for the account',
  not_admin: 'not an administrator',
};

/** An app password's last use is written at most this often from one address: a client polling every minute costs little. */
const APP_PASSWORD_TOUCH_MS = 60_000;

/** Verified against when the user does not exist, so a wrong user name costs the same time as a wrong password. */
const DUMMY_HASH = hashPassword('mailhive-dummy-password');

/**
 * The one authentication path of every protocol. Failures are counted per (login name, client network) pair and
 * per client network in the database, so every node sees them (see login-throttle.policy.ts): an attempt is counted
 * before its password is verified and given back when it succeeds, so parallel guesses cannot outrun the count.
 * A locked pair answers `locked` whether or not the account exists.
 */
@Injectable()
export class AuthService {
  private readonly verified: VerifiedPasswordCache;
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly store: StoreService,
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly twoFactor: TwoFactorService,
    @Optional() private readonly plugins?: PluginHost,
  ) {
    this.verified = new VerifiedPasswordCache(config.authCacheSeconds * 1000);
    this.throttle = new LoginThrottle(store, config.authMaxFailures, config.authLockoutSeconds);
  }

  /** A login of a mail client, or a check of the password (a session that exists already, the CLI): no second factor. */
  authenticate(request: AuthRequest): Promise<AuthResult> {
    return this.attempt(request, null) as Promise<AuthResult>;
  }

  /** A sign-in that opens a session: with two-factor sign-in on, the code is checked after the password. */
  signIn(request: SignInRequest): Promise<SignInResult> {
    return this.attempt(request, request.secondFactor?.trim() ?? '');
  }

  private async attempt(request: AuthRequest, secondFactor: string | null): Promise<SignInResult> {
    const result = await this.decide(request, secondFactor);
    loginsTotal.inc({ protocol: request.protocol, outcome: result.ok ? 'ok' : result.reason });
    activity.emit('login', { protocol: request.protocol, username: request.username, ok: result.ok });
    this.throttle.purgeIfDue().catch((error: unknown) => this.logger.error({ err: error }, 'login throttle purge failed'));
    if (result.ok && this.plugins?.has('account.login')) {
      // Informational and not awaited (plugin-api.ts): a slow plugin must not hold back the login.
      this.plugins
        .run('account.login', { address: result.account.address, protocol: request.protocol, remoteAddress: request.remoteAddress })
        .catch((error: unknown) => this.logger.error({ err: error }, 'account.login hook failed'));
    }
    return result;
  }

  /** Forgets the passwords this node verified for the account (after a password change). */
  forgetVerified(accountId: number): void {
    this.verified.forget(accountId);
  }

  /** `secondFactor` null: a login that takes none (see authenticate); a string: a sign-in (see signIn). */
  private async decide(request: AuthRequest, secondFactor: string | null): Promise<SignInResult> {
    const log = { user: request.username, remote: request.remoteAddress, protocol: request.protocol };
    const reserved = await this.throttle.reserve(request.username, request.remoteAddress);
    if (!reserved.ok) {
      // A client's mistake, not a fault of ours: logged at info.
      this.logger.info({ ...log, lockedBy: reserved.lockedBy }, 'login refused: locked out after repeated failures');
      return { ok: false, reason: 'locked' };
    }
    if (reserved.lockStarted) this.logger.warn({ ...log, lockedBy: reserved.lockStarted }, 'login locked out after repeated failures');
    const address = parseAddress(request.username);
    const credentials = address ? await findCredentials(this.store.reader, address.normalized) : null;
    if (!credentials) {
      await verifyPassword(request.password, await DUMMY_HASH);
      this.logger.info(log, 'login failed: unknown user');
      return { ok: false, reason: 'invalid' };
    }
    const { account, passwordHash } = credentials;
    const checked = await this.check(account.id, passwordHash, request.password, request);
    const via = checked?.via ?? null;
    if (!checked || !via) {
      this.logger.info(log, 'login failed: wrong password');
      return { ok: false, reason: 'invalid' };
    }
    const refusal = accessRefusal(account, request.access ?? DEFAULT_ACCESS[request.protocol]);
    const twoFactor = via === 'password' && !refusal && (await this.twoFactor.isEnabled(account.id));
    if (twoFactor && secondFactor) {
      if (!(await this.twoFactor.verify(account.id, secondFactor))) {
        // Left counted as a failure, so codes cannot be guessed faster than passwords.
        this.logger.info(log, 'login failed: wrong second factor');
        return { ok: false, reason: 'second_factor_invalid' };
      }
    }
    // The password was right: the attempt was no guess, whether or not the account may log in.
    await this.throttle.succeeded(reserved.reservation);
    if (refusal) {
      this.logger.info({ ...log, refusal }, `login refused: ${REFUSAL_LOG[refusal]}`);
      return { ok: false, reason: 'disabled', refusal };
    }
    if (twoFactor && MAIL_CLIENT_PROTOCOLS.has(request.protocol)) {
      // With two-factor sign-in on, a mail client (which cannot ask for a code) needs an app password.
      this.logger.info(log, 'login refused: two-factor sign-in is on; the client must use an app password');
      return { ok: false, reason: 'invalid' };
    }
    if (twoFactor && secondFactor === '') {
      this.logger.info(log, 'login needs the second factor');
      return { ok: false, reason: 'second_factor_required' };
    }
    this.logger.info({ ...log, via }, 'login');
    return { ok: true, account, via, credentialId: checked.credentialId };
  }

  private async check(
    accountId: number,
    passwordHash: string,
    password: string,
    request: AuthRequest,
  ): Promise<{ via: 'password' | 'app_password'; credentialId: number | null } | null> {
    if (this.verified.matches(accountId, password, passwordHash)) return { via: 'password', credentialId: null };
    if (await verifyPassword(password, passwordHash)) {
      this.verified.remember(accountId, password, passwordHash);
      return { via: 'password', credentialId: null };
    }
    // An app password opens a mail client's login only, never a session of the API or the web, and only for the
    // protocols it was made for.
    if (!MAIL_CLIENT_PROTOCOLS.has(request.protocol)) return null;
    // App passwords are long random secrets: a SHA-256 lookup is enough and needs no slow KDF.
    const secretHash = createHash('sha256').update(password).digest('hex');
    const app = await findAppPassword(this.store.reader, accountId, secretHash);
    if (!app || !app.protocols.includes(request.protocol)) return null;
    const now = Date.now();
    if (now - app.lastUsedAt >= APP_PASSWORD_TOUCH_MS || app.lastAddress !== request.remoteAddress)
      await this.store.transaction((manager) => touchAppPassword(manager, app.id, now, request.remoteAddress.slice(0, 64)));
    return { via: 'app_password', credentialId: app.id };
  }
}
