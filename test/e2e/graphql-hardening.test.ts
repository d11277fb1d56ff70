import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, type GraphqlResult } from './graphql-helpers.js';

const OFF = Object.fromEntries(
  ['SMTP', 'SUBMISSION', 'SMTPS', 'POP3', 'POP3S', 'IMAP', 'IMAPS'].map((name) => [`MAILHIVE_${name}_PORT`, 'off']),
);
const METRICS_TOKEN = 'metrics-token-for-tests';
const INIT_TIMEOUT_MS = 1000;
const SESSION_CHECK_SECONDS = 1;
const PAYLOAD = Buffer.alloc(24 * 1024 * 1024, 0x61);

interface Closed {
  code: number;
  reason: string;
}

/** A websocket speaking graphql-ws's subprotocol, driven by hand; `closed` settles with the server's close code. */
function rawSocket(url: string): { socket: WebSocket; opened: Promise<void>; closed: Promise<Closed>; received: string[] } {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const received: string[] = [];
  socket.on('message', (data) => received.push(String(data)));
  socket.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const closed = new Promise<Closed>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return { socket, opened, closed, received };
}

/** Resolves with the value, or with 'pending' when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms).unref())]);
}

/** An IPv4 address of this host that is not loopback: a client connecting to it is seen as a non-loopback peer. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;

describe('GraphQL and HTTP hardening', () => {
  let server: MailhiveProcess;
  let http: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create({
      // Production mode: introspection is off by default there.
      ...OFF,
      NODE_ENV: 'production',
      MAILHIVE_BIND: '0.0.0.0',
      MAILHIVE_METRICS_TOKEN: METRICS_TOKEN,
      MAILHIVE_GRAPHQL_WS_INIT_TIMEOUT_MS: String(INIT_TIMEOUT_MS),
      MAILHIVE_GRAPHQL_WS_SESSION_CHECK_SECONDS: String(SESSION_CHECK_SECONDS),
    });
    await server.start();
    http = `http://127.0.0.1:${server.ports.http}`;
    ws = `ws://127.0.0.1:${server.ports.http}/graphql`;
    gql = graphqlClient(server);
    expect(await server.cli('domain', 'add', 'hard.example')).toMatchObject({ code: 0 });
    // ann has several sessions in these tests; cid is removed by one of them.
    for (const user of ['ann', 'cid'])
      expect(await server.cli('user', 'add', `${user}@hard.example`, '--password', 'secret123')).toMatchObject({ code: 0 });
  });

  afterAll(async () => {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await server?.destroy();
  });

  const clients: Client[] = [];
  let ws: string;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;

  /** A graphql-ws client subscribed to mailEvents; resolves once the server acknowledged it, with its close event. */
  const subscribed = async (token: string): Promise<{ closed: Promise<Closed> }> => {
    let onClosed: (event: Closed) => void = () => undefined;
    const closed = new Promise<Closed>((resolve) => {
      onClosed = resolve;
    });
    let onConnected: () => void = () => undefined;
    const connected = new Promise<void>((resolve) => {
      onConnected = resolve;
    });
    const client = createClient({
      url: ws,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      // The close is what these tests wait for; graphql-ws would also print it.
      onNonLazyError: () => undefined,
      on: { connected: () => onConnected(), closed: (event) => onClosed(event as Closed) },
    });
    clients.push(client);
    client.subscribe(
      { query: 'subscription { mailEvents { type } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await connected;
    return { closed };
  };

  /**
   * Upgrades a raw TCP connection to graphql-ws, then sends the header of a 64 MiB text frame and `bytes` of its
   * payload, and keeps the connection open; reports the close code the server sent back, if any, by then.
   */
  const heldFrame = async (bytes: number): Promise<{ socket: Socket; closeCode: number | null }> => {
    const socket = connect(server.ports.http, '127.0.0.1');
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      [
        'GET /graphql HTTP/1.1',
        `Host: 127.0.0.1:${server.ports.http}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Protocol: graphql-transport-ws',
        '',
        '',
      ].join('\r\n'),
    );
    while (!received.includes('\r\n\r\n')) await new Promise((resolve) => socket.once('data', resolve));
    expect(received.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
    received = received.subarray(received.indexOf('\r\n\r\n') + 4);
    // RFC 6455 §5.2: FIN + text, masked, 64-bit length, then the masking key.
    const header = Buffer.alloc(14);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(64 * 1024 * 1024), 2);
    randomBytes(4).copy(header, 10);
    socket.write(header);
    await new Promise<void>((resolve) => socket.write(PAYLOAD.subarray(0, bytes), () => resolve()));
    // Give the server time to read what it is going to read.
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A close frame: 0x88, length 2 (at least), the status code.
    const closeCode = received.length >= 4 && received[0] === 0x88 ? received.readUInt16BE(2) : null;
    return { socket, closeCode };
  };

  /** Resident memory of the server process, from its own /metrics. */
  const serverRss = async (): Promise<number> =>
    Number(/^mailhive_process_resident_memory_bytes (\d+)/m.exec(await (await fetch(`${http}/metrics`)).text())?.[1]);

  describe('graphql-ws', () => {
    it('refuses a frame over the payload limit from its header (1009) and does not buffer it', async () => {
      // Warm-up, so that the server's first-use allocations are not counted below.
      await heldFrame(1024 * 1024);
      const before = await serverRss();
      // The attack: frames that announce 64 MiB and send 24 MiB of it, held open.
      const held = await Promise.all(Array.from({ length: 4 }, () => heldFrame(24 * 1024 * 1024)));
      const grown = (await serverRss()) - before;
      // Meanwhile another client is served at once.
      const started = Date.now();
      expect((await gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(held.map((frame) => frame.closeCode)).toEqual([1009, 1009, 1009, 1009]);
      // 96 MiB sent: buffering it grew the server by about 67 MB; refusing from the header leaves well under 48 MiB,
      // whatever the allocator and the collector happen to hold at the moment of reading.
      expect(grown).toBeLessThan(48 * 1024 * 1024);
      for (const frame of held) frame.socket.destroy();
    });

    it('closes a socket that sends no connection_init within the deadline (4408)', async () => {
      const { opened, closed } = rawSocket(ws);
      await opened;
      const started = Date.now();
      expect(await within(closed, INIT_TIMEOUT_MS + 1500)).toMatchObject({ code: 4408 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(INIT_TIMEOUT_MS - 100);
    });

    it('refuses connection_init without a token, or with a bad one (4403), instead of keeping an anonymous socket', async () => {
      for (const payload of [undefined, {}, { authorization: 'Bearer not-a-token' }]) {
        const { socket, opened, closed, received } = rawSocket(ws);
        await opened;
        socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }));
        expect(await within(closed, 2000)).toMatchObject({ code: 4403 });
        expect(received).toEqual([]);
      }
    });

    it('refuses any other message before authentication (4401): no ping, no subscribe', async () => {
      for (const message of [{ type: 'ping' }, { type: 'subscribe', id: '1', payload: { query: '{ __typename }' } }]) {
        const { socket, opened, closed, received } = rawSocket(ws);
        await opened;
        socket.send(JSON.stringify(message));
        expect(await within(closed, 2000)).toMatchObject({ code: 4401 });
        expect(received).toEqual([]);
      }
    });

    it('ends a subscription when its session is logged out (4401)', async () => {
      const token = await login(server, 'ann@hard.example', 'secret123');
      const { closed } = await subscribed(token);
      expect((await gql('mutation { logout }', {}, token)).data?.logout).toBe(true);
      expect(await within(closed, 1000)).toMatchObject({ code: 4401 });
    });

    it('ends a subscription when another session signs its device out (4401)', async () => {
      const phone = await login(server, 'ann@hard.example', 'secret123');
      const laptop = await login(server, 'ann@hard.example', 'secret123');
      const { closed } = await subscribed(phone);
      const sessions = (await gql('{ deviceSessions { id current } }', {}, phone)).data?.deviceSessions as {
        id: string;
        current: boolean;
      }[];
      const phoneId = sessions.find((session) => session.current)?.id;
      expect((await gql('mutation($id: ID!) { revokeDeviceSession(id: $id) }', { id: phoneId }, laptop)).data?.revokeDeviceSession).toBe(
        true,
      );
      expect(await within(closed, 1000)).toMatchObject({ code: 4401 });
    });

    it('ends a subscription within the re-check interval when its session ends elsewhere (another process removes the user)', async () => {
      const token = await login(server, 'cid@hard.example', 'secret123');
      const { closed } = await subscribed(token);
      expect(await server.cli('user', 'remove', 'cid@hard.example')).toMatchObject({ code: 0 });
      expect(await within(closed, SESSION_CHECK_SECONDS * 1000 + 1500)).toMatchObject({ code: 4401 });
    });

    it("keeps a live session's subscription open across re-checks", async () => {
      const token = await login(server, 'ann@hard.example', 'secret123');
      const { closed } = await subscribed(token);
      expect(await within(closed, SESSION_CHECK_SECONDS * 2000 + 500)).toBe('pending');
    });
  });

  describe('query limits', () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `m${i}: message(id: "${i + 1}") { html }`).join(' ');

    it('refuses 20 aliases of a message body (QUERY_TOO_COMPLEX) before running any, and still serves a message view', async () => {
      const token = await login(server, 'ann@hard.example', 'secret123');
      const refused = await gql(`{ ${aliases} }`, {}, token);
      expect(errorCode(refused)).toBe('QUERY_TOO_COMPLEX');
      expect(refused.errors?.[0].message).toBe(
        'Message.html is asked for 20 times (aliases and list items count); at most 10 in one operation',
      );
      expect(refused.data).toBeUndefined();
      expect(errorCode(await gql('{ messages(mailboxId: "1", first: 50) { nodes { text } } }', {}, token))).toBe('QUERY_TOO_COMPLEX');
      const view = await gql(
        '{ message(id: "1") { subject headers { name } text html remote: html(allowRemoteImages: true) } }',
        {},
        token,
      );
      expect(view.errors).toBeUndefined();
    });

    it('applies the same limits over the websocket', async () => {
      const token = await login(server, 'ann@hard.example', 'secret123');
      const client = createClient({
        url: ws,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      clients.push(client);
      const outcome = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: `{ ${aliases} }` }, { next: resolve, error: resolve, complete: () => resolve('complete') });
      });
      expect(outcome).toMatchObject([{ extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
    });
  });

  describe('schema discovery', () => {
    it('gives no "Did you mean" suggestions to a caller that has not signed in', async () => {
      const anonymous = await gql('{ mee { id } }');
      expect(anonymous.errors?.map((error) => error.message)).toEqual(['Cannot query field "mee" on type "Query".']);
      const token = await login(server, 'ann@hard.example', 'secret123');
      const signedIn = await gql('{ mee { id } }', {}, token);
      expect(signedIn.errors?.[0].message).toBe('Cannot query field "mee" on type "Query". Did you mean "me"?');
    });

    it('refuses introspection in production mode by default', async () => {
      const result = await gql('{ __schema { queryType { name } } }');
      expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(result.data).toBeUndefined();
    });
  });

  describe('mobileLogin deviceName', () => {
    const mobileLogin = 'mutation($d: String!) { mobileLogin(email: "ann@hard.example", password: "secret123", deviceName: $d) { token } }';

    it('refuses a name over 100 characters (BAD_USER_INPUT) and issues no session', async () => {
      const token = await login(server, 'ann@hard.example', 'secret123');
      const before = ((await gql('{ deviceSessions { id } }', {}, token)).data?.deviceSessions as unknown[]).length;
      const refused = await gql(mobileLogin, { d: 'p'.repeat(101) });
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(refused.data).toBeNull();
      expect(((await gql('{ deviceSessions { id } }', {}, token)).data?.deviceSessions as unknown[]).length).toBe(before);
    });

    it('stores the name without control or bidi override characters', async () => {
      const token = (await gql(mobileLogin, { d: 'Ann\u202Egpj.exe\u0007\r\n' })).data?.mobileLogin.token as string;
      const sessions = (await gql('{ deviceSessions { label current } }', {}, token)).data?.deviceSessions as {
        label: string;
        current: boolean;
      }[];
      expect(sessions.find((session) => session.current)?.label).toBe('Ann gpj.exe');
    });
  });

  describe('/metrics', () => {
    it('answers loopback clients, with the event-loop lag histogram', async () => {
      const response = await fetch(`${http}/metrics`);
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).toMatch(/^mailhive_event_loop_lag_seconds_bucket\{le="1"\} \d+$/m);
      // The sampler has already measured some turns of the loop.
      expect(Number(/^mailhive_event_loop_lag_seconds_count (\d+)$/m.exec(body)?.[1])).toBeGreaterThan(0);
    });

    it.skipIf(!outsideAddress)('refuses a client from another address with 403 unless it brings MAILHIVE_METRICS_TOKEN', async () => {
      const url = `http://${outsideAddress}:${server.ports.http}/metrics`;
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(403);
      expect(await anonymous.text()).not.toContain('mailhive_');
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
      const authorised = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(authorised.status).toBe(200);
      expect(await authorised.text()).toContain('mailhive_event_loop_lag_seconds_count');
    });
  });
});
