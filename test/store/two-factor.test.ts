import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenService } from '../../core/accounts/access-token.service.js';
import { AuthService, type SignInRequest } from '../../core/accounts/auth.service.js';
import { RECOVERY_CODE_COUNT } from '../../core/accounts/recovery-codes.js';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../core/accounts/totp.js';
import { TwoFactorError, TwoFactorService } from '../../core/accounts/two-factor.service.js';
import { SecondFactorEntity } from '../../core/store/entities/second-factor.entity.js';
import { RecoveryCodeEntity } from '../../core/store/entities/recovery-code.entity.js';
import { StoreService } from '../../core/store/store.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser } from './fixtures.js';

describe(`two-factor sign-in on ${TEST_DB}`, () => {
  let core: TestCore;
  let auth: AuthService;
  let factors: TwoFactorService;
  let tokens: AccessTokenService;

  beforeAll(async () => {
    core = await openTestCore({ MAILHIVE_AUTH_MAX_FAILURES: '3', MAILHIVE_AUTH_LOCKOUT_SECONDS: '60' });
    auth = core.context.get(AuthService);
    factors = core.context.get(TwoFactorService);
    tokens = core.context.get(AccessTokenService);
  });

  afterAll(async () => {
    await core.close();
  });

  const signIn = (username: string, secondFactor: string | null, request: Partial<SignInRequest> = {}) =>
    auth.signIn({ username, password: 'password123', secondFactor, remoteAddress: '198.51.100.20', protocol: 'graphql', ...request });

  /** Enrols the user; returns the secret and the recovery codes. */
  async function enrol(local: string): Promise<{ accountId: number; secret: string; codes: string[] }> {
    const user = await createUser(core, local);
    const { secret, uri } = await factors.begin(user);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/Mailhive:${local}%40store\\.example\\?`));
    expect(uri).toContain(`secret=${secret}`);
    const codes = await factors.confirm(user.id, totpCode(secret));
    return { accountId: user.id, secret, codes };
  }

  it('turns on only with a right code of the pending secret and keeps the recovery codes hashed', async () => {
    const user = await createUser(core, 'enrol');
    const { secret } = await factors.begin(user);
    // Pending: the password alone still signs in.
    expect(await signIn('enrol@store.example', null)).toMatchObject({ ok: true });
    const wrong = totpCode(secret, Date.now() + 10 * TOTP_PERIOD_SECONDS * 1000);
    await expect(factors.confirm(user.id, wrong)).rejects.toMatchObject({ code: 'INVALID_CODE' });
    const codes = await factors.confirm(user.id, totpCode(secret));
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    expect(await factors.status(user)).toEqual({ enabled: true, required: false, recoveryCodesLeft: RECOVERY_CODE_COUNT });
    const stored = await core.context.get(StoreService).reader.findBy(RecoveryCodeEntity, { accountId: user.id });
    expect(stored.map((row) => row.codeHash)).not.toContain(codes[0]);
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.codeHash))).toBe(true);
    // A second enrolment is refused while one is on.
    await expect(factors.begin(user)).rejects.toBeInstanceOf(TwoFactorError);
  });

  it('asks for the code after the right password, accepts a code once and refuses it replayed', async () => {
    const { secret } = await enrol('totp');
    expect(await signIn('totp@store.example', null)).toEqual({ ok: false, reason: 'second_factor_required' });
    // A wrong password is refused as always: the code is asked for only after the right one.
    expect(await signIn('totp@store.example', null, { password: 'nope-nope' })).toEqual({ ok: false, reason: 'invalid' });
    // The confirmation used the current step: the same code does not sign in (RFC 6238 §5.2).
    expect(await signIn('totp@store.example', totpCode(secret))).toEqual({ ok: false, reason: 'second_factor_invalid' });
    // The next step's code is within the window, and works exactly once.
    const next = totpCode(secret, Date.now() + TOTP_PERIOD_SECONDS * 1000);
    expect(await signIn('totp@store.example', next)).toMatchObject({ ok: true, via: 'password' });
    expect(await signIn('totp@store.example', next)).toEqual({ ok: false, reason: 'second_factor_invalid' });
    // Checking the password of a session that exists (changePassword) takes no code.
    expect(
      await auth.authenticate({
        username: 'totp@store.example',
        password: 'password123',
        remoteAddress: '198.51.100.20',
        protocol: 'graphql',
        access: 'any',
      }),
    ).toMatchObject({ ok: true });
  });

  it('accepts each recovery code once', async () => {
    const { codes, accountId } = await enrol('recover');
    expect(await signIn('recover@store.example', codes[3].toUpperCase())).toMatchObject({ ok: true });
    expect(await signIn('recover@store.example', codes[3])).toEqual({ ok: false, reason: 'second_factor_invalid' });
    expect(await signIn('recover@store.example', codes[4].replace('-', ''))).toMatchObject({ ok: true });
    expect(await factors.status({ id: accountId, domainId: (await createUser(core, 'recover-peer')).domainId })).toMatchObject({
      recoveryCodesLeft: RECOVERY_CODE_COUNT - 2,
    });
  });

  it('counts wrong codes as failed logins, so they lock the sign-in like wrong passwords', async () => {
    const { secret } = await enrol('guess');
    const far = (n: number) => totpCode(secret, Date.now() + (5 + n) * TOTP_PERIOD_SECONDS * 1000);
    const remoteAddress = '198.51.100.77';
    for (let n = 0; n < 3; n++)
      expect(await signIn('guess@store.example', far(n), { remoteAddress })).toEqual({ ok: false, reason: 'second_factor_invalid' });
    expect(await signIn('guess@store.example', totpCode(secret, Date.now() + TOTP_PERIOD_SECONDS * 1000), { remoteAddress })).toEqual({
      ok: false,
      reason: 'locked',
    });
  });

  it('lets mail clients in with app passwords only, and app passwords open no session', async () => {
    const { accountId } = await enrol('client');
    const app = await tokens.issue(accountId, 'app_password', 'Thunderbird');
    for (const protocol of ['imap', 'pop3', 'smtp'] as const) {
      const request = { username: 'client@store.example', remoteAddress: '198.51.100.21', protocol };
      expect(await auth.authenticate({ ...request, password: 'password123' })).toEqual({ ok: false, reason: 'invalid' });
      expect(await auth.authenticate({ ...request, password: app.secret })).toMatchObject({ ok: true, via: 'app_password' });
    }
    expect(await signIn('client@store.example', null, { password: app.secret })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('is reset by an administrator (audited): the password alone signs in again', async () => {
    const { accountId } = await enrol('lost');
    const user = { id: accountId, address: 'lost@store.example', domainId: (await createUser(core, 'lost-peer')).domainId };
    expect(await factors.reset(user, { name: 'admin@store.example', role: 'system_admin', clientAddress: '192.0.2.1' })).toBe(true);
    expect(await core.context.get(StoreService).reader.countBy(SecondFactorEntity, { accountId })).toBe(0);
    expect(await core.context.get(StoreService).reader.countBy(RecoveryCodeEntity, { accountId })).toBe(0);
    expect(await signIn('lost@store.example', null)).toMatchObject({ ok: true });
  });

  it('turns off with a valid code; a domain requirement holds sessions of unenrolled users', async () => {
    const { accountId, secret } = await enrol('off');
    const user = { id: accountId, domainId: (await createUser(core, 'off-peer')).domainId };
    await expect(factors.disable(accountId, '000000')).rejects.toMatchObject({ code: 'INVALID_CODE' });
    await factors.disable(accountId, totpCode(secret, Date.now() + TOTP_PERIOD_SECONDS * 1000));
    expect(await factors.status(user)).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 });
    await factors.setDomainRequirement({ id: user.domainId, name: 'store.example' }, true, 'system');
    expect(await factors.enrolmentRequired(user)).toBe(true);
    await factors.setDomainRequirement({ id: user.domainId, name: 'store.example' }, false, 'system');
    expect(await factors.enrolmentRequired(user)).toBe(false);
  });
});
