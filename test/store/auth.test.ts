import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenService } from '../../core/accounts/access-token.service.js';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { AuthService } from '../../core/accounts/auth.service.js';
import { TwoFactorService } from '../../core/accounts/two-factor.service.js';
import { MAILHIVE_CONFIG } from '../../core/config/config.token.js';
import { LOGGER } from '../../core/logging/logger.js';
import { MailRepository } from '../../core/store/repositories/mail.repository.js';
import { AccountEntity } from '../../core/store/entities/account.entity.js';
import { AccessTokenEntity } from '../../core/store/entities/access-token.entity.js';
import { BlobEntity } from '../../core/store/entities/blob.entity.js';
import { sqlAll, sqlRun } from '../../core/store/raw-sql.js';
import { StoreService } from '../../core/store/store.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, services } from './fixtures.js';

describe(`authentication on ${TEST_DB}`, () => {
  let core: TestCore;
  let auth: AuthService;

  beforeAll(async () => {
    core = await openTestCore({ MAILHIVE_AUTH_MAX_FAILURES: '3', MAILHIVE_AUTH_LOCKOUT_SECONDS: '60' });
    auth = core.context.get(AuthService);
  });

  afterAll(async () => {
    await core.close();
  });

  const attempt = (username: string, password: string, remoteAddress = '198.51.100.7') =>
    auth.authenticate({ username, password, remoteAddress, protocol: 'imap' });

  it('accepts the right password and refuses a wrong one or an unknown user alike', async () => {
    await createUser(core, 'alice');
    expect(await attempt('Alice@Store.Example', 'password123')).toMatchObject({
      ok: true,
      via: 'password',
      account: { address: 'alice@store.example' },
    });
    expect(await attempt('alice@store.example', 'password124')).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('nobody@store.example', 'password123')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('remembers a verified password until it changes', async () => {
    await createUser(core, 'cora');
    const first = performance.now();
    expect(await attempt('cora@store.example', 'password123')).toMatchObject({ ok: true, via: 'password' });
    const verified = performance.now() - first;
    const again = performance.now();
    expect(await attempt('cora@store.example', 'password123')).toMatchObject({ ok: true, via: 'password' });
    // The second login skips scrypt (tens of milliseconds) but still reads the account.
    expect(performance.now() - again).toBeLessThan(verified / 2);
    expect(await attempt('cora@store.example', 'password124')).toEqual({ ok: false, reason: 'invalid' });
    // After a password change the remembered one no longer opens the account, on this node or any other.
    await services(core).accounts.setPassword('cora@store.example', 'changed-password-1');
    expect(await attempt('cora@store.example', 'password123')).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('cora@store.example', 'changed-password-1')).toMatchObject({ ok: true });
  });

  it('stores passwords with scrypt, never in clear', async () => {
    const user = await createUser(core, 'hashed');
    const { passwordHash } = await core.context.get(StoreService).reader.findOneByOrFail(AccountEntity, { id: user.id });
    expect(passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(passwordHash).not.toContain('password123');
  });

  it('locks a (user, client address) pair after repeated failures, even against the right password, and nobody else', async () => {
    await createUser(core, 'bob');
    for (let i = 0; i < 3; i++)
      expect(await attempt('bob@store.example', 'wrong-password', '203.0.113.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('bob@store.example', 'password123', '203.0.113.1')).toEqual({ ok: false, reason: 'locked' });
    // The attacker's address cannot lock the user out of the account everywhere.
    expect(await attempt('bob@store.example', 'password123', '203.0.113.99')).toMatchObject({ ok: true });
    // Another node (a service of its own on the same database) sees the lock.
    const store = core.context.get(StoreService);
    const otherNode = new AuthService(store, core.context.get(MAILHIVE_CONFIG), core.context.get(LOGGER), new TwoFactorService(store));
    expect(
      await otherNode.authenticate({
        username: 'bob@store.example',
        password: 'password123',
        remoteAddress: '203.0.113.1',
        protocol: 'imap',
      }),
    ).toEqual({ ok: false, reason: 'locked' });
    // A password reset by an administrator lifts the lock.
    await services(core).accounts.setPassword('bob@store.example', 'new-password-1');
    expect(await attempt('bob@store.example', 'new-password-1', '203.0.113.1')).toMatchObject({ ok: true });
  });

  it('answers an unknown user exactly like a real one: invalid, then locked', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await attempt('ghost@store.example', 'wrong-password', '203.0.113.2'));
    expect(answers).toEqual([...Array(3).fill({ ok: false, reason: 'invalid' }), { ok: false, reason: 'locked' }]);
  });

  it('verifies at most the limit of a parallel burst of guesses; the right password after the lock gets nothing', async () => {
    await createUser(core, 'burst');
    const guesses = Array.from({ length: 12 }, (_, i) =>
      attempt('burst@store.example', i === 8 ? 'password123' : `wrong-${i}`, '203.0.113.3'),
    );
    const results = await Promise.all(guesses);
    // Every attempt past the limit was refused before its password was verified.
    expect(results.filter((result) => !result.ok && result.reason === 'invalid')).toHaveLength(3);
    expect(results.filter((result) => !result.ok && result.reason === 'locked')).toHaveLength(9);
    expect(results.some((result) => result.ok)).toBe(false);
  });

  it("keeps counting a client address's failures when it also logs in successfully", async () => {
    await createUser(core, 'sprayer');
    // Between each two guesses at other accounts the client logs in to a valid one; that gives back only its own attempt.
    for (let i = 0; i < 12; i++) {
      expect(await attempt('sprayer@store.example', 'password123', '192.0.2.150')).toMatchObject({ ok: true });
      expect(await attempt(`victim${i}@store.example`, 'guess', '192.0.2.150')).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await attempt('victim99@store.example', 'guess', '192.0.2.150')).toEqual({ ok: false, reason: 'locked' });
    expect(await attempt('sprayer@store.example', 'password123', '192.0.2.150')).toEqual({ ok: false, reason: 'locked' });
  });

  it('locks out a client address that fails across many accounts', async () => {
    for (let i = 0; i < 12; i++) await attempt(`guess${i}@store.example`, 'x', '192.0.2.200');
    await createUser(core, 'carol');
    expect(await attempt('carol@store.example', 'password123', '192.0.2.200')).toEqual({ ok: false, reason: 'locked' });
    expect(await attempt('carol@store.example', 'password123', '192.0.2.201')).toMatchObject({ ok: true });
  });

  it('counts the failures of an IPv6 client across its /64', async () => {
    for (let i = 0; i < 12; i++) await attempt(`guess${i}@store.example`, 'x', `2001:db8:77:1::${i.toString(16)}`);
    expect(await attempt('carol@store.example', 'password123', '2001:db8:77:1:abcd::1')).toEqual({ ok: false, reason: 'locked' });
    expect(await attempt('carol@store.example', 'password123', '2001:db8:77:2::1')).toMatchObject({ ok: true });
  });

  it('refuses a disabled account and accepts app passwords', async () => {
    const user = await createUser(core, 'dave');
    const tokens = core.context.get(AccessTokenService);
    const app = await tokens.issue(user.id, 'app_password', 'Thunderbird');
    expect(await attempt('dave@store.example', app.secret)).toMatchObject({ ok: true, via: 'app_password' });
    expect(await tokens.revoke(user.id, app.id)).toBe(true);
    expect(await attempt('dave@store.example', app.secret)).toEqual({ ok: false, reason: 'invalid' });
    await services(core).accounts.updateUser('dave@store.example', { enabled: false });
    expect(await attempt('dave@store.example', 'password123')).toEqual({ ok: false, reason: 'disabled', refusal: 'disabled' });
  });

  it('refuses an expired account, a protocol switched off, and a plain user at the admin login', async () => {
    await createUser(core, 'erin');
    const accounts = services(core).accounts;
    await accounts.updateUser('erin@store.example', { protocols: ['pop3'] });
    expect(await attempt('erin@store.example', 'password123')).toEqual({ ok: false, reason: 'disabled', refusal: 'protocol' });
    expect(
      await auth.authenticate({ username: 'erin@store.example', password: 'password123', remoteAddress: '198.51.100.7', protocol: 'pop3' }),
    ).toMatchObject({ ok: true });
    expect(
      await auth.authenticate({
        username: 'erin@store.example',
        password: 'password123',
        remoteAddress: '198.51.100.7',
        protocol: 'graphql',
        access: 'admin',
      }),
    ).toEqual({ ok: false, reason: 'disabled', refusal: 'not_admin' });
    await accounts.updateUser('erin@store.example', { protocols: ['imap'], expiresAt: Date.now() - 1000 });
    expect(await attempt('erin@store.example', 'password123')).toEqual({ ok: false, reason: 'disabled', refusal: 'expired' });
  });

  it("an administrator's password reset revokes every session and app password", async () => {
    const user = await createUser(core, 'reset');
    const tokens = core.context.get(AccessTokenService);
    const session = await tokens.issue(user.id, 'session');
    const app = await tokens.issue(user.id, 'app_password', 'Phone');
    expect(await attempt('reset@store.example', app.secret)).toMatchObject({ ok: true, via: 'app_password' });
    expect(await services(core).accounts.setPassword('reset@store.example', 'brand-new-pass')).toEqual({ sessions: 1, appPasswords: 1 });
    expect(await tokens.verifySession(session.secret)).toBeNull();
    expect(await attempt('reset@store.example', app.secret)).toEqual({ ok: false, reason: 'invalid' });
  });

  it("a user's own password change keeps the session making it, ends the others, and the app passwords when asked", async () => {
    const user = await createUser(core, 'changer');
    const tokens = core.context.get(AccessTokenService);
    const [current, other] = [await tokens.issue(user.id, 'session'), await tokens.issue(user.id, 'session')];
    const app = await tokens.issue(user.id, 'app_password', 'Laptop');
    const accounts = core.context.get(AccountsService);
    expect(
      await accounts.changeOwnPassword(user.id, 'second-password', { keepSessionSecret: current.secret, revokeAppPasswords: false }),
    ).toEqual({ sessions: 1, appPasswords: 0 });
    expect(await tokens.verifySession(current.secret)).not.toBeNull();
    expect(await tokens.verifySession(other.secret)).toBeNull();
    expect(await attempt('changer@store.example', app.secret)).toMatchObject({ ok: true, via: 'app_password' });
    expect(
      await accounts.changeOwnPassword(user.id, 'third-password', { keepSessionSecret: current.secret, revokeAppPasswords: true }),
    ).toEqual({ sessions: 0, appPasswords: 1 });
    expect(await attempt('changer@store.example', app.secret)).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('changer@store.example', 'second-password')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps at most 50 live sessions per user, revoking the oldest', async () => {
    const user = await createUser(core, 'many');
    const tokens = core.context.get(AccessTokenService);
    const issued = [];
    for (let i = 0; i < 52; i++) issued.push(await tokens.issue(user.id, 'session'));
    expect(await tokens.list(user.id, 'session')).toHaveLength(50);
    expect(await tokens.verifySession(issued[0].secret)).toBeNull();
    expect(await tokens.verifySession(issued[1].secret)).toBeNull();
    expect(await tokens.verifySession(issued[2].secret)).not.toBeNull();
    expect(await tokens.verifySession(issued[51].secret)).not.toBeNull();
  });

  it("removing a user deletes its sessions, app passwords and uploads, and releases the uploads' blobs", async () => {
    const user = await createUser(core, 'leaving');
    const keeper = await createUser(core, 'staying');
    const tokens = core.context.get(AccessTokenService);
    await tokens.issue(user.id, 'session');
    await tokens.issue(user.id, 'app_password', 'Mail');
    const kept = await tokens.issue(keeper.id, 'session');
    const store = core.context.get(StoreService);
    const blobId = 'f'.repeat(64);
    await store.transaction(async (manager) => {
      await core.context.get(MailRepository).addBlobRefs(manager, blobId, 10, 2);
      for (const [id, accountId] of [
        ['up-leaving', user.id],
        ['up-staying', keeper.id],
      ] as const) {
        await sqlRun(
          manager,
          'INSERT INTO `uploads` (`id`, `accountId`, `blobId`, `filename`, `contentType`, `size`, `createdAt`) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [id, accountId, blobId, 'a.txt', 'text/plain', 10, Date.now()],
        );
      }
    });
    await services(core).accounts.removeUser('leaving@store.example');
    expect(await store.reader.countBy(AccessTokenEntity, { accountId: user.id })).toBe(0);
    expect(await tokens.verifySession(kept.secret)).not.toBeNull();
    expect(
      await sqlAll(store.reader, 'SELECT `id` FROM `uploads` WHERE `accountId` IN (?, ?) ORDER BY `id`', [user.id, keeper.id]),
    ).toEqual([{ id: 'up-staying' }]);
    expect(await store.reader.findOneBy(BlobEntity, { id: blobId })).toMatchObject({ refCount: 1 });
  });
});
