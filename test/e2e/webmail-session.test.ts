import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, smtpDeliver, type GraphqlResult } from './graphql-helpers.js';

const USER = 'web@session.example';
const PASSWORD = 'cookie jar 31';
const WEB_LOGIN = 'mutation($e: String!, $p: String!) { webLogin(email: $e, password: $p) { csrfToken expiresAt account { address } } }';

interface WebSession {
  cookie: string;
  csrf: string;
  setCookie: string[];
}

describe('web session in an HttpOnly cookie with a CSRF header', () => {
  let server: MailhiveProcess;
  let base: string;
  let session: WebSession;
  let attachmentUrl: string;
  const clients: Client[] = [];

  /** POST /graphql as a browser page would: cookies, and the CSRF header when given. */
  const post = async (
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<{ body: GraphqlResult; setCookie: string[] }> => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { body: (await response.json()) as GraphqlResult, setCookie: response.headers.getSetCookie() };
  };

  const webLogin = async (): Promise<WebSession> => {
    const { body, setCookie } = await post(WEB_LOGIN, { e: USER, p: PASSWORD }, {});
    expect(body.errors).toBeUndefined();
    const csrf = body.data?.webLogin.csrfToken as string;
    return { csrf, setCookie, cookie: setCookie.map((line) => line.split(';', 1)[0]).join('; ') };
  };

  /** Opens a graphql-ws connection with the given upgrade headers; resolves 'connected' or the close code. */
  const connect = (
    headers: { cookie?: string; origin?: string },
    connectionParams: Record<string, unknown>,
  ): Promise<{ outcome: 'connected' | number; client: Client }> => {
    class BrowserLikeSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, {
          headers: headers.cookie ? { cookie: headers.cookie } : {},
          ...(headers.origin ? { origin: headers.origin } : {}),
        });
      }
    }
    return new Promise((resolve) => {
      const client = createClient({
        url: `ws://127.0.0.1:${server.ports.http}/graphql`,
        webSocketImpl: BrowserLikeSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams,
        // A refusal is what some of these tests expect; they read the close code, not the console.
        onNonLazyError: () => undefined,
        on: {
          connected: () => resolve({ outcome: 'connected', client }),
          closed: (event) => resolve({ outcome: (event as { code: number }).code, client }),
        },
      });
      clients.push(client);
    });
  };

  /** The next mailEvents event on a connected client, after a message is delivered. */
  const receivesMail = async (client: Client, subject: string): Promise<string> => {
    const event = new Promise<string>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { mailEvents { type } }' },
        {
          next: (result) => resolve((result.data as { mailEvents: { type: string } }).mailEvents.type),
          error: (error) => reject(new Error(JSON.stringify(error))),
          complete: () => undefined,
        },
      );
    });
    // The subscription is registered once the server has the subscribe message; a ping round trip would be no surer.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await smtpDeliver(server, [{ from: 'someone@outside.example', to: USER, subject, text: 'live' }]);
    return event;
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    base = `http://127.0.0.1:${server.ports.http}`;
    expect(await server.cli('domain', 'add', 'session.example')).toMatchObject({ code: 0 });
    expect(await server.cli('user', 'add', USER, '--password', PASSWORD)).toMatchObject({ code: 0 });
    await smtpDeliver(server, [
      {
        from: 'someone@outside.example',
        to: USER,
        subject: 'With a file',
        text: 'see attached',
        attachments: [{ filename: 'notes.txt', content: Buffer.from('secret notes\n'), contentType: 'text/plain' }],
      },
    ]);
    const app = await login(server, USER, PASSWORD);
    const gql = graphqlClient(server);
    const inbox = (await gql('{ mailboxes { id path } }', {}, app)).data?.mailboxes.find((box: { path: string }) => box.path === 'INBOX')
      .id as string;
    const id = (await gql('query($m: ID!) { messages(mailboxId: $m) { nodes { id } } }', { m: inbox }, app)).data?.messages.nodes[0]
      .id as string;
    attachmentUrl = (await gql('query($id: ID!) { message(id: $id) { attachments { url } } }', { id }, app)).data?.message.attachments[0]
      .url as string;
    session = await webLogin();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      clients.map(async (client) => {
        await client.dispose();
      }),
    );
    await server?.destroy();
  });

  it('webLogin sets an HttpOnly SameSite=Strict session cookie and a readable csrf cookie, and returns no token', async () => {
    const [sessionCookie, csrfCookie] = session.setCookie;
    expect(sessionCookie).toMatch(/^mailhive_session=[\w-]{40,};/);
    const attributes = (line: string) =>
      line
        .split(';')
        .slice(1)
        .map((part) => part.trim());
    expect(attributes(sessionCookie)).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=604800']));
    expect(attributes(sessionCookie)).not.toContain('Secure');
    expect(csrfCookie).toBe(`mailhive_csrf=${session.csrf}; Max-Age=604800; Path=/; SameSite=Strict`);
    // The session has no token field to ask for.
    const { body } = await post('mutation { webLogin(email: "web@session.example", password: "cookie jar 31") { token } }', {}, {});
    expect(errorCode(body)).toBe('GRAPHQL_VALIDATION_FAILED');
    const refused = await post(WEB_LOGIN, { e: USER, p: 'wrong password' }, {});
    expect(errorCode(refused.body)).toBe('INVALID_CREDENTIALS');
    expect(refused.setCookie).toEqual([]);
  });

  it('authenticates the cookie only with X-CSRF-Token equal to the csrf cookie', async () => {
    const me = '{ me { address } }';
    expect(errorCode((await post(me, {}, { cookie: session.cookie })).body)).toBe('UNAUTHENTICATED');
    expect(errorCode((await post(me, {}, { cookie: session.cookie, 'x-csrf-token': `${session.csrf}x` })).body)).toBe('UNAUTHENTICATED');
    const other = await webLogin();
    expect(errorCode((await post(me, {}, { cookie: session.cookie, 'x-csrf-token': other.csrf })).body)).toBe('UNAUTHENTICATED');
    expect((await post(me, {}, { cookie: session.cookie, 'x-csrf-token': session.csrf })).body.data?.me.address).toBe(USER);
  });

  it('downloads attachments and takes uploads with the cookie and the CSRF header, never with the cookie alone', async () => {
    const cookieOnly = await fetch(`${base}${attachmentUrl}`, { headers: { cookie: session.cookie } });
    expect(cookieOnly.status).toBe(401);
    const download = await fetch(`${base}${attachmentUrl}`, { headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('secret notes\n');

    const upload = (headers: Record<string, string>) =>
      fetch(`${base}/api/webmail/uploads?filename=a.txt&type=text/plain`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...headers },
        body: 'hello',
      });
    expect((await upload({ cookie: session.cookie })).status).toBe(401);
    expect((await upload({ cookie: session.cookie, 'x-csrf-token': session.csrf })).status).toBe(201);
  });

  it('accepts the cookie on a websocket only from our own origin with the csrf value in connectionParams', async () => {
    const foreign = await connect({ cookie: session.cookie, origin: 'http://evil.example' }, { csrf: session.csrf });
    expect(foreign.outcome).toBe(4403);
    const noCsrf = await connect({ cookie: session.cookie, origin: base }, {});
    expect(noCsrf.outcome).toBe(4403);
    const ours = await connect({ cookie: session.cookie, origin: base }, { csrf: session.csrf });
    expect(ours.outcome).toBe('connected');
    expect(await receivesMail(ours.client, 'Live to the cookie')).toBe('MESSAGE_ADDED');
  });

  it('keeps bearer tokens working for apps, over HTTP and websocket, whatever cookies come along', async () => {
    const token = await login(server, USER, PASSWORD);
    const { body } = await post(
      '{ me { address } }',
      {},
      { authorization: `Bearer ${token}`, cookie: 'mailhive_session=forged; mailhive_csrf=x' },
    );
    expect(body.data?.me.address).toBe(USER);
    expect((await fetch(`${base}${attachmentUrl}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const app = await connect({}, { authorization: `Bearer ${token}` });
    expect(app.outcome).toBe('connected');
    expect(await receivesMail(app.client, 'Live to the app')).toBe('MESSAGE_ADDED');
  });

  it('logout ends the cookie session and clears both cookies', async () => {
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    const { body, setCookie } = await post('mutation { logout }', {}, headers);
    expect(body.data?.logout).toBe(true);
    expect(setCookie).toEqual([
      'mailhive_session=; Max-Age=0; Path=/; SameSite=Strict; HttpOnly',
      'mailhive_csrf=; Max-Age=0; Path=/; SameSite=Strict',
    ]);
    expect(errorCode((await post('{ me { address } }', {}, headers)).body)).toBe('UNAUTHENTICATED');
  });

  it('logout of a session already ended elsewhere still answers true and clears both cookies, revoking nothing else', async () => {
    const token = await login(server, USER, PASSWORD);
    const bearer = { authorization: `Bearer ${token}` };
    const sessionIds = async (): Promise<string[]> =>
      ((await post('{ deviceSessions { id } }', {}, bearer)).body.data?.deviceSessions as { id: string }[]).map((item) => item.id);
    const before = await sessionIds();
    const stale = await webLogin();
    const staleId = (await sessionIds()).filter((id) => !before.includes(id));
    expect(staleId).toHaveLength(1);
    const other = await webLogin();
    // The app signs the browser out, as "sign out that device" does; the browser still holds both cookies.
    expect(
      (await post('mutation($id: ID!) { revokeDeviceSession(id: $id) }', { id: staleId[0] }, bearer)).body.data?.revokeDeviceSession,
    ).toBe(true);
    const staleHeaders = { cookie: stale.cookie, 'x-csrf-token': stale.csrf };
    const again = await post('mutation { logout }', {}, staleHeaders);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.logout).toBe(true);
    expect(again.setCookie).toEqual([
      'mailhive_session=; Max-Age=0; Path=/; SameSite=Strict; HttpOnly',
      'mailhive_csrf=; Max-Age=0; Path=/; SameSite=Strict',
    ]);
    const anonymous = await post('mutation { logout }', {}, {});
    expect(anonymous.body.data?.logout).toBe(true);
    expect(anonymous.setCookie).toHaveLength(2);
    // The other browser and the app keep their sessions.
    expect((await post('{ me { address } }', {}, { cookie: other.cookie, 'x-csrf-token': other.csrf })).body.data?.me.address).toBe(USER);
    expect((await post('{ me { address } }', {}, bearer)).body.data?.me.address).toBe(USER);
  });
});
