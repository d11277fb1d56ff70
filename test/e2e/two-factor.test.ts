import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../core/accounts/totp.js';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, type GraphqlResult } from './graphql-helpers.js';
import { RawPop3 } from './pop3-e2e-support.js';

const PASSWORD = 'secret-pass-1';
const LOGIN = 'mutation($e: String!, $p: String!, $c: String) { login(email: $e, password: $p, code: $c) { token } }';
const ADMIN_LOGIN = 'mutation($e: String!, $p: String!, $c: String) { adminLogin(email: $e, password: $p, code: $c) { token } }';

/** The code an authenticator app shows `steps` time steps from now (each step's code is accepted once). */
const codeAt = (secret: string, steps: number) => totpCode(secret, Date.now() + steps * TOTP_PERIOD_SECONDS * 1000);

describe('two-factor sign-in over GraphQL, IMAP and POP3', { timeout: 180_000 }, () => {
  let server: MailhiveProcess;
  let gql: ReturnType<typeof graphqlClient>;
  let root: string;

  const signIn = (email: string, code: string | null = null, password = PASSWORD) => gql(LOGIN, { e: email, p: password, c: code });

  /** Turns two-factor sign-in on for the user through the API; returns the secret and the recovery codes. */
  async function enrol(email: string): Promise<{ secret: string; codes: string[] }> {
    const token = await login(server, email, PASSWORD);
    const begun = await gql('mutation($p: String!) { beginTwoFactorEnrolment(password: $p) { secret uri } }', { p: PASSWORD }, token);
    expect(begun.errors).toBeUndefined();
    const { secret, uri } = begun.data!.beginTwoFactorEnrolment as { secret: string; uri: string };
    expect(uri).toContain(`secret=${secret}`);
    const confirmed = await gql('mutation($c: String!) { confirmTwoFactor(code: $c) }', { c: totpCode(secret) }, token);
    expect(confirmed.errors).toBeUndefined();
    return { secret, codes: confirmed.data!.confirmTwoFactor as string[] };
  }

  const imapLogin = async (user: string, pass: string): Promise<boolean> => {
    const flow = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user, pass },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    try {
      await flow.connect();
      await flow.logout();
      return true;
    } catch {
      return false;
    }
  };

  const pop3Login = async (user: string, pass: string): Promise<boolean> => {
    const client = await RawPop3.connect(server.ports.pop3);
    try {
      await client.line();
      await client.command(`USER ${user}`);
      return (await client.command(`PASS ${pass}`)).startsWith('+OK');
    } finally {
      client.drop();
    }
  };

  const createUser = async (address: string, extra: Record<string, unknown> = {}) =>
    expect(
      (
        await gql(
          'mutation($i: AdminUserCreateInput!) { adminCreateUser(input: $i) { address } }',
          { i: { address, password: PASSWORD, ...extra } },
          root,
        )
      ).errors,
    ).toBeUndefined();

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_AUTH_MAX_FAILURES: '50' });
    expect((await server.cli('domain', 'add', 'tf.example')).code).toBe(0);
    expect((await server.cli('domain', 'add', 'other.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@tf.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    await server.start();
    gql = graphqlClient(server);
    root = (await gql(ADMIN_LOGIN, { e: 'root@tf.example', p: PASSWORD })).data?.adminLogin?.token as string;
    for (const local of ['ann', 'ben', 'cat', 'dan', 'eve']) await createUser(`${local}@tf.example`);
    await createUser('boss@other.example', { role: 'domain_admin', adminDomains: ['other.example'] });
    await createUser('olga@other.example');
  }, 180_000);

  afterAll(async () => {
    await server.destroy();
  });

  it('asks for the code after the right password and takes each code once', async () => {
    const { secret } = await enrol('ann@tf.example');
    expect(errorCode(await signIn('ann@tf.example'))).toBe('SECOND_FACTOR_REQUIRED');
    expect(errorCode(await signIn('ann@tf.example', null, 'wrong-password'))).toBe('INVALID_CREDENTIALS');
    const code = codeAt(secret, 1);
    const first = await signIn('ann@tf.example', code);
    expect(first.errors).toBeUndefined();
    expect(typeof first.data?.login?.token).toBe('string');
    const replayed = await signIn('ann@tf.example', code);
    expect(errorCode(replayed)).toBe('INVALID_SECOND_FACTOR');
    expect(replayed.data ?? null).toBeNull();
    expect(errorCode(await signIn('ann@tf.example', 'x'.repeat(100)))).toBe('BAD_USER_INPUT');
    const status = await gql('{ twoFactor { enabled required recoveryCodesLeft } }', {}, first.data!.login.token as string);
    expect(status.data?.twoFactor).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
  });

  it('accepts each recovery code once', async () => {
    const { codes } = await enrol('ben@tf.example');
    expect(codes).toHaveLength(10);
    expect((await signIn('ben@tf.example', codes[0])).data?.login?.token).toBeTruthy();
    expect(errorCode(await signIn('ben@tf.example', codes[0]))).toBe('INVALID_SECOND_FACTOR');
    expect((await signIn('ben@tf.example', codes[1])).data?.login?.token).toBeTruthy();
  });

  it('lets IMAP and POP3 in with an app password only, and refuses the app password on GraphQL', async () => {
    const { secret } = await enrol('cat@tf.example');
    const token = (await signIn('cat@tf.example', codeAt(secret, 1))).data!.login.token as string;
    const created = await gql('mutation { createAppPassword(label: "Thunderbird") { secret } }', {}, token);
    const appSecret = created.data!.createAppPassword.secret as string;
    expect(await imapLogin('cat@tf.example', PASSWORD)).toBe(false);
    expect(await pop3Login('cat@tf.example', PASSWORD)).toBe(false);
    expect(await imapLogin('cat@tf.example', appSecret)).toBe(true);
    expect(await pop3Login('cat@tf.example', appSecret)).toBe(true);
    expect(errorCode(await signIn('cat@tf.example', null, appSecret))).toBe('INVALID_CREDENTIALS');
    expect(errorCode(await gql(ADMIN_LOGIN, { e: 'cat@tf.example', p: appSecret }))).toBe('INVALID_CREDENTIALS');
  });

  it('turns off only with the password and a valid code', async () => {
    const { secret, codes } = await enrol('dan@tf.example');
    // Signed in with a recovery code, so the app's next code is still unused.
    const token = (await signIn('dan@tf.example', codes[0])).data!.login.token as string;
    const disable = (password: string, code: string) =>
      gql('mutation($p: String!, $c: String!) { disableTwoFactor(password: $p, code: $c) }', { p: password, c: code }, token);
    expect(errorCode(await disable('wrong-password', codeAt(secret, 1)))).toBe('INVALID_CREDENTIALS');
    expect(errorCode(await disable(PASSWORD, '000000'))).toBe('INVALID_SECOND_FACTOR');
    // A code of the enrolment's step (already used) is refused: codes go forward only.
    expect(errorCode(await disable(PASSWORD, codeAt(secret, -1)))).toBe('INVALID_SECOND_FACTOR');
    expect((await disable(PASSWORD, codeAt(secret, 1))).data?.disableTwoFactor).toBe(true);
    expect((await signIn('dan@tf.example')).data?.login?.token).toBeTruthy();
    expect(await imapLogin('dan@tf.example', PASSWORD)).toBe(true);
  });

  it('needs a session, and refuses another domain admin the reset and the requirement with nothing learnt', async () => {
    for (const query of [
      '{ twoFactor { enabled } }',
      'mutation { beginTwoFactorEnrolment(password: "x") { secret } }',
      'mutation { confirmTwoFactor(code: "123456") }',
      'mutation { disableTwoFactor(password: "x", code: "123456") }',
      'mutation { regenerateRecoveryCodes(code: "123456") }',
    ]) {
      const refused = await gql(query);
      expect(errorCode(refused)).toBe('UNAUTHENTICATED');
      expect(refused.data ?? null).toBeNull();
    }
    const boss = (await gql(ADMIN_LOGIN, { e: 'boss@other.example', p: PASSWORD })).data?.adminLogin?.token as string;
    const olga = await login(server, 'olga@other.example', PASSWORD);
    for (const token of [boss, olga]) {
      for (const [query, field] of [
        ['mutation { adminResetTwoFactor(address: "ann@tf.example") }', 'adminResetTwoFactor'],
        ['mutation { adminResetTwoFactor(address: "ghost@tf.example") }', 'adminResetTwoFactor'],
        ['mutation { adminSetDomainTwoFactorRequired(name: "tf.example", required: true) { name } }', 'adminSetDomainTwoFactorRequired'],
        [
          'mutation { adminSetDomainTwoFactorRequired(name: "nowhere.example", required: true) { name } }',
          'adminSetDomainTwoFactorRequired',
        ],
      ] as const) {
        const refused: GraphqlResult = await gql(query, {}, token);
        expect(refused.errors?.[0]).toMatchObject({ message: 'not allowed', extensions: { code: 'FORBIDDEN' } });
        expect(refused.data?.[field] ?? null).toBeNull();
      }
    }
    // Ann's two-factor sign-in is still on.
    expect(errorCode(await signIn('ann@tf.example'))).toBe('SECOND_FACTOR_REQUIRED');
  });

  it('is reset by an administrator, audited, and the admin sign-in asks for a code too', async () => {
    const users = await gql('{ adminUsers(search: "ann@") { users { address twoFactorEnabled } } }', {}, root);
    expect(users.data?.adminUsers.users).toEqual([{ address: 'ann@tf.example', twoFactorEnabled: true }]);
    expect((await gql('mutation { adminResetTwoFactor(address: "ann@tf.example") }', {}, root)).data?.adminResetTwoFactor).toBe(true);
    expect((await signIn('ann@tf.example')).data?.login?.token).toBeTruthy();
    const audit = await gql('{ auditLog(limit: 20) { entries { action actor target } } }', {}, root);
    expect(audit.data?.auditLog.entries).toContainEqual({ action: 'user.reset_2fa', actor: 'root@tf.example', target: 'ann@tf.example' });

    const { secret } = await enrol('root@tf.example');
    expect(errorCode(await gql(ADMIN_LOGIN, { e: 'root@tf.example', p: PASSWORD }))).toBe('SECOND_FACTOR_REQUIRED');
    const admin = await gql(ADMIN_LOGIN, { e: 'root@tf.example', p: PASSWORD, c: codeAt(secret, 1) });
    expect(admin.errors).toBeUndefined();
    root = admin.data!.adminLogin.token as string;
  });

  it('holds the sessions of a domain that requires two-factor sign-in to the enrolment until it is on', async () => {
    const required = await gql(
      'mutation { adminSetDomainTwoFactorRequired(name: "tf.example", required: true) { name requireTwoFactor } }',
      {},
      root,
    );
    expect(required.data?.adminSetDomainTwoFactorRequired).toEqual({ name: 'tf.example', requireTwoFactor: true });
    const token = await login(server, 'eve@tf.example', PASSWORD);
    const held = await gql('{ mailboxes { name } }', {}, token);
    expect(errorCode(held)).toBe('TWO_FACTOR_SETUP_REQUIRED');
    expect(held.data ?? null).toBeNull();
    expect((await gql('{ me { address } }', {}, token)).data?.me).toEqual({ address: 'eve@tf.example' });
    expect((await gql('{ twoFactor { enabled required } }', {}, token)).data?.twoFactor).toEqual({ enabled: false, required: true });
    const begun = await gql('mutation($p: String!) { beginTwoFactorEnrolment(password: $p) { secret } }', { p: PASSWORD }, token);
    const secret = begun.data!.beginTwoFactorEnrolment.secret as string;
    expect((await gql('mutation($c: String!) { confirmTwoFactor(code: $c) }', { c: totpCode(secret) }, token)).errors).toBeUndefined();
    expect((await gql('{ mailboxes { name } }', {}, token)).data?.mailboxes).toContainEqual({ name: 'INBOX' });
    // While the domain requires it, the user cannot turn it off.
    const off = await gql(
      'mutation($c: String!) { disableTwoFactor(password: "secret-pass-1", code: $c) }',
      { c: codeAt(secret, 1) },
      token,
    );
    expect(errorCode(off)).toBe('FORBIDDEN');
    const audit = await gql('{ auditLog(limit: 20) { entries { action target } } }', {}, root);
    expect(audit.data?.auditLog.entries).toContainEqual({ action: 'domain.require_2fa', target: 'tf.example' });
  });
});
