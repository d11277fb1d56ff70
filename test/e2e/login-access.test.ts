import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient } from './graphql-helpers.js';
import { RawPop3 } from './pop3-e2e-support.js';

const PASSWORD = 'secret-pass-1';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

/** Every login surface of one account, each answering whether the password opened it. */
describe('login rules of an account: disabled, protocols, expiry', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;

  const imap = async (user: string): Promise<boolean> => {
    const flow = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user, pass: PASSWORD },
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

  const pop3 = async (user: string): Promise<boolean> => {
    const client = await RawPop3.connect(server.ports.pop3);
    try {
      await client.line();
      expect(await client.command(`USER ${user}`)).toMatch(/^\+OK/);
      const reply = await client.command(`PASS ${PASSWORD}`);
      return reply.startsWith('+OK');
    } finally {
      client.drop();
    }
  };

  const smtp = async (user: string): Promise<boolean> => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
    });
    try {
      return await transport.verify();
    } catch {
      return false;
    } finally {
      transport.close();
    }
  };

  const graphqlLogin = async (user: string): Promise<string | undefined> => {
    const result = await graphqlClient(server)(LOGIN, { e: user, p: PASSWORD });
    return result.data?.login?.token ? 'ok' : errorCode(result);
  };

  const surfaces = async (user: string) => ({
    imap: await imap(user),
    pop3: await pop3(user),
    smtp: await smtp(user),
    graphql: await graphqlLogin(user),
  });

  let adminToken: string;
  const admin = (query: string, variables: Record<string, unknown>) => graphqlClient(server)(query, variables, adminToken);
  const update = async (address: string, input: Record<string, unknown>) => {
    const result = await admin('mutation($a: String!, $i: AdminUserUpdateInput!) { adminUpdateUser(address: $a, input: $i) { address } }', {
      a: address,
      i: input,
    });
    expect(result.errors).toBeUndefined();
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_AUTH_MAX_FAILURES: '50' });
    expect((await server.cli('domain', 'add', 'rules.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@rules.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    await server.start();
    const login = await graphqlClient(server)('mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }', {
      e: 'root@rules.example',
      p: PASSWORD,
    });
    adminToken = login.data?.adminLogin?.token as string;
    const accounts: [string, Record<string, unknown>][] = [
      ['open', {}],
      ['off', { disabled: true }],
      ['imaponly', { protocols: ['imap'] }],
      ['expired', { expiresAt: '2020-01-01T00:00:00.000Z' }],
      ['future', { expiresAt: '2999-12-31T00:00:00.000Z' }],
    ];
    for (const [name, changes] of accounts) {
      const created = await admin('mutation($i: AdminUserCreateInput!) { adminCreateUser(input: $i) { address } }', {
        i: { address: `${name}@rules.example`, password: PASSWORD },
      });
      expect(created.errors).toBeUndefined();
      if (Object.keys(changes).length > 0) await update(`${name}@rules.example`, changes);
    }
  }, 180_000);

  afterAll(async () => {
    await server.destroy();
  });

  it('lets an account with every protocol and no expiry in everywhere', async () => {
    expect(await surfaces('open@rules.example')).toEqual({ imap: true, pop3: true, smtp: true, graphql: 'ok' });
    expect(await surfaces('future@rules.example')).toEqual({ imap: true, pop3: true, smtp: true, graphql: 'ok' });
  });

  it('refuses a disabled account on every protocol', async () => {
    expect(await surfaces('off@rules.example')).toEqual({ imap: false, pop3: false, smtp: false, graphql: 'ACCOUNT_DISABLED' });
  });

  it('refuses an expired account on every protocol', async () => {
    expect(await surfaces('expired@rules.example')).toEqual({ imap: false, pop3: false, smtp: false, graphql: 'ACCOUNT_DISABLED' });
  });

  it('lets an account in only on the protocols it has', async () => {
    expect(await surfaces('imaponly@rules.example')).toEqual({ imap: true, pop3: false, smtp: false, graphql: 'ACCOUNT_DISABLED' });
  });

  it('ends the sessions of an account that is disabled after login, and lets it in again once enabled', async () => {
    const token = (await graphqlClient(server)(LOGIN, { e: 'open@rules.example', p: PASSWORD })).data?.login?.token as string;
    const me = () => graphqlClient(server)('{ me { address } }', {}, token);
    expect((await me()).data?.me?.address).toBe('open@rules.example');
    await update('open@rules.example', { disabled: true });
    expect(errorCode(await me())).toBe('UNAUTHENTICATED');
    await update('open@rules.example', { disabled: false });
    expect(await imap('open@rules.example')).toBe(true);
  });
});
