import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, type GraphqlResult } from './graphql-helpers.js';

const PASSWORD = 'secret-pass-1';
const IDLE_SECONDS = 2;

interface Browserish {
  cookies: Map<string, string>;
  csrf: string;
}

describe('WebAdmin sessions', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;

  /** POST /graphql as a browser would: the cookies it holds, and optionally the admin csrf header. */
  const post = async (query: string, jar: Browserish | null, header = true): Promise<{ result: GraphqlResult; setCookie: string[] }> => {
    const cookie = jar ? [...jar.cookies].map(([name, value]) => `${name}=${value}`).join('; ') : '';
    const response = await fetch(`http://127.0.0.1:${server.ports.http}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(cookie ? { cookie } : {}),
        ...(jar && header ? { 'x-admin-csrf-token': jar.csrf } : {}),
      },
      body: JSON.stringify({ query }),
    });
    return { result: (await response.json()) as GraphqlResult, setCookie: response.headers.getSetCookie() };
  };

  const webLogin = async (email: string, password = PASSWORD): Promise<{ jar: Browserish; setCookie: string[]; result: GraphqlResult }> => {
    const { result, setCookie } = await post(
      `mutation { adminWebLogin(email: "${email}", password: "${password}") { csrfToken admin { address role } } }`,
      null,
    );
    const cookies = new Map(setCookie.map((line) => line.split(';')[0]!.split('=') as [string, string]));
    return { jar: { cookies, csrf: result.data?.adminWebLogin?.csrfToken as string }, setCookie, result };
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_ADMIN_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS) });
    expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    expect((await server.cli('user', 'add', 'lock@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    await server.start();
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('keeps the session in an HttpOnly, SameSite=Strict cookie that counts only with the csrf header', async () => {
    const { jar, setCookie, result } = await webLogin('root@a.example');
    expect(result.data?.adminWebLogin?.admin).toEqual({ address: 'root@a.example', role: 'system_admin' });
    const session = setCookie.find((line) => line.startsWith('mailhive_admin_session='))!;
    expect(session).toMatch(/; HttpOnly$/);
    expect(session).toContain('SameSite=Strict');
    expect(session).not.toContain('Secure');
    expect(setCookie.find((line) => line.startsWith('mailhive_admin_csrf='))).not.toContain('HttpOnly');
    expect(JSON.stringify(result.data)).not.toContain(jar.cookies.get('mailhive_admin_session'));

    expect((await post('{ adminMe { address } }', jar)).result.data?.adminMe).toEqual({ address: 'root@a.example' });
    expect(errorCode((await post('{ adminMe { address } }', jar, false)).result)).toBe('UNAUTHENTICATED');
    expect(errorCode((await post('{ adminMe { address } }', { ...jar, csrf: 'x'.repeat(43) })).result)).toBe('UNAUTHENTICATED');
    // The webmail's cookie names never carry the admin session.
    const swapped: Browserish = {
      csrf: jar.csrf,
      cookies: new Map([
        ['mailhive_session', jar.cookies.get('mailhive_admin_session')!],
        ['mailhive_csrf', jar.csrf],
      ]),
    };
    expect(errorCode((await post('{ adminMe { address } }', swapped, false)).result)).toBe('UNAUTHENTICATED');

    const logout = await post('mutation { adminLogout }', jar);
    expect(logout.result.data?.adminLogout).toBe(true);
    expect(logout.setCookie.some((line) => line.startsWith('mailhive_admin_session=;') && line.includes('Max-Age=0'))).toBe(true);
    expect(errorCode((await post('{ adminMe { address } }', jar)).result)).toBe('UNAUTHENTICATED');
  });

  it('ends a session left idle longer than MAILHIVE_ADMIN_IDLE_TIMEOUT_SECONDS and keeps one in use', async () => {
    const idle = (await webLogin('root@a.example')).jar;
    const busy = (await webLogin('root@a.example')).jar;
    const started = Date.now();
    // The busy one is used every quarter of the timeout; the idle one not at all until the timeout has passed twice.
    while (Date.now() - started < IDLE_SECONDS * 2000 + 500) {
      expect((await post('{ adminMe { address } }', busy)).result.data?.adminMe).toEqual({ address: 'root@a.example' });
      await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 250));
    }
    expect(errorCode((await post('{ adminMe { address } }', idle)).result)).toBe('UNAUTHENTICATED');
    expect((await post('{ adminMe { address } }', busy)).result.data?.adminMe).toEqual({ address: 'root@a.example' });
  });

  it('signs out everywhere: every session of the admin ends, and the audit log says so', async () => {
    const first = (await webLogin('root@a.example')).jar;
    const second = (await webLogin('root@a.example')).jar;
    const gql = graphqlClient(server);
    const script = (await gql(`mutation { adminLogin(email: "root@a.example", password: "${PASSWORD}") { token } }`)).data?.adminLogin
      ?.token as string;
    expect((await post('mutation { adminSignOutEverywhere }', first)).result.data?.adminSignOutEverywhere).toBe(true);
    for (const jar of [first, second]) expect(errorCode((await post('{ adminMe { address } }', jar)).result)).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql('{ adminMe { address } }', {}, script))).toBe('UNAUTHENTICATED');
    const fresh = (await webLogin('root@a.example')).jar;
    const audit = await post('{ auditLog(filter: { action: "session" }) { entries { action actor target } } }', fresh);
    expect(audit.result.data?.auditLog?.entries?.[0]).toEqual({
      action: 'session.revoke_all',
      actor: 'root@a.example',
      target: 'root@a.example',
    });
  });

  it('locks an admin out after repeated failures, as any user', async () => {
    for (let attempt = 0; attempt < 5; attempt++)
      expect(errorCode((await webLogin('lock@a.example', 'wrong-password')).result)).toBe('INVALID_CREDENTIALS');
    expect(errorCode((await webLogin('lock@a.example')).result)).toBe('LOCKED');
  });
});
