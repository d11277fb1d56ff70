import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { TEST_DB } from '../support/test-database.js';
import type { GraphqlResult } from './graphql-helpers.js';

// Each test speaks from a loopback address of its own (Linux routes all of 127.0.0.0/8 to lo), so the per-address
// failure counts of one test never touch another's.
const LIMIT = 3;
const PASSWORD = 'secret123';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

/** POST /graphql from a chosen local address. */
function graphqlFrom(
  server: MailhiveProcess,
  from: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphqlResult> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.ports.http,
        path: '/graphql',
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as GraphqlResult));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `A1 LOGIN user password` on a fresh IMAP connection from a chosen local address; returns the tagged reply line. */
function imapLogin(server: MailhiveProcess, from: string, user: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: server.ports.imap, localAddress: from });
    let text = '';
    let sent = false;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!sent && text.includes('\r\n')) {
        sent = true;
        socket.write(`A1 LOGIN "${user}" "${password}"\r\n`);
      }
      const tagged = /^A1 .*$/m.exec(text);
      if (tagged) {
        socket.end('A2 LOGOUT\r\n');
        resolve(tagged[0].trimEnd());
      }
    });
    socket.on('error', reject);
  });
}

const code = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;

describe(`login throttling and token revocation over GraphQL and IMAP (${TEST_DB})`, () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create({
      MAILHIVE_AUTH_MAX_FAILURES: String(LIMIT),
      MAILHIVE_AUTH_LOCKOUT_SECONDS: '60',
      MAILHIVE_LOG_LEVEL: 'info',
    });
    expect((await server.cli('domain', 'add', 'ah.example')).code).toBe(0);
    for (const user of ['burst', 'changer', 'reset', 'leaver']) {
      expect((await server.cli('user', 'add', `${user}@ah.example`, '--password', PASSWORD)).code).toBe(0);
    }
    await server.start();
  }, 120_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('a burst of parallel wrong guesses gets at most the limit verified; the right password sent after the lock gets no session', async () => {
    const from = '127.0.0.11';
    const guesses = Array.from({ length: 20 }, (_, i) => graphqlFrom(server, from, LOGIN, { e: 'burst@ah.example', p: `wrong-${i}` }));
    // The first LOCKED answer proves the lock is on while the verified guesses may still be hashing.
    await Promise.any(
      guesses.map(async (guess) => {
        if (code(await guess) !== 'LOCKED') throw new Error('not locked');
      }),
    );
    const right = await graphqlFrom(server, from, LOGIN, { e: 'burst@ah.example', p: PASSWORD });
    const answers = (await Promise.all(guesses)).map(code);
    expect(answers.filter((answer) => answer === 'INVALID_CREDENTIALS')).toHaveLength(LIMIT);
    expect(answers.filter((answer) => answer === 'LOCKED')).toHaveLength(20 - LIMIT);
    expect(code(right)).toBe('LOCKED');
    expect(right.data?.login).toBeFalsy();
    expect(await imapLogin(server, from, 'burst@ah.example', PASSWORD)).toMatch(/^A1 NO \[UNAVAILABLE\]/);
    // Only the guessing address is locked out: the owner elsewhere logs in as usual.
    expect(await imapLogin(server, '127.0.0.12', 'burst@ah.example', PASSWORD)).toMatch(/^A1 OK /);
  });

  it('an unknown account answers exactly like a real one: invalid, then locked', async () => {
    const answers = [];
    for (let i = 0; i <= LIMIT; i++)
      answers.push(code(await graphqlFrom(server, '127.0.0.13', LOGIN, { e: 'nobody@ah.example', p: 'wrong' })));
    expect(answers).toEqual([...Array<string>(LIMIT).fill('INVALID_CREDENTIALS'), 'LOCKED']);
    expect(await imapLogin(server, '127.0.0.13', 'nobody@ah.example', PASSWORD)).toMatch(/^A1 NO \[UNAVAILABLE\]/);
  });

  it('successful logins from an address do not reset its failures: spraying guesses is still cut off', async () => {
    const from = '127.0.0.14';
    for (let i = 0; i < LIMIT * 4; i++) {
      expect(await imapLogin(server, from, 'burst@ah.example', PASSWORD)).toMatch(/^A1 OK /);
      expect(await imapLogin(server, from, `target${i}@ah.example`, 'guess')).toMatch(/^A1 NO \[AUTHENTICATIONFAILED\]/);
    }
    expect(await imapLogin(server, from, 'target99@ah.example', 'guess')).toMatch(/^A1 NO \[UNAVAILABLE\]/);
    expect(await imapLogin(server, from, 'burst@ah.example', PASSWORD)).toMatch(/^A1 NO \[UNAVAILABLE\]/);
  });

  it("a user's password change ends their other sessions, and their app passwords when asked", async () => {
    const from = '127.0.0.15';
    const token = async (password: string) =>
      (await graphqlFrom(server, from, LOGIN, { e: 'changer@ah.example', p: password })).data?.login?.token as string;
    const [current, other] = [await token(PASSWORD), await token(PASSWORD)];
    const created = await graphqlFrom(server, from, 'mutation { createAppPassword(label: "Desktop") { secret } }', {}, current);
    const app = created.data?.createAppPassword.secret as string;
    const change =
      'mutation($c: String!, $n: String!, $r: Boolean!) { changePassword(currentPassword: $c, newPassword: $n, revokeAppPasswords: $r) }';

    expect(code(await graphqlFrom(server, from, change, { c: 'not-the-password', n: 'another-pass-1', r: false }, current))).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(code(await graphqlFrom(server, from, change, { c: PASSWORD, n: 'short', r: false }, current))).toBe('BAD_USER_INPUT');
    expect((await graphqlFrom(server, from, change, { c: PASSWORD, n: 'another-pass-1', r: false }, current)).data?.changePassword).toBe(
      true,
    );
    expect(code(await graphqlFrom(server, from, '{ me { address } }', {}, other))).toBe('UNAUTHENTICATED');
    expect((await graphqlFrom(server, from, '{ me { address } }', {}, current)).data?.me.address).toBe('changer@ah.example');
    expect(code(await graphqlFrom(server, from, LOGIN, { e: 'changer@ah.example', p: PASSWORD }))).toBe('INVALID_CREDENTIALS');
    expect(await imapLogin(server, from, 'changer@ah.example', app)).toMatch(/^A1 OK /);

    expect(
      (await graphqlFrom(server, from, change, { c: 'another-pass-1', n: 'another-pass-2', r: true }, current)).data?.changePassword,
    ).toBe(true);
    expect(await imapLogin(server, from, 'changer@ah.example', app)).toMatch(/^A1 NO \[AUTHENTICATIONFAILED\]/);
    expect(await imapLogin(server, from, 'changer@ah.example', 'another-pass-2')).toMatch(/^A1 OK /);
  });

  it("an administrator's password reset ends every session and app password", async () => {
    const from = '127.0.0.16';
    const session = (await graphqlFrom(server, from, LOGIN, { e: 'reset@ah.example', p: PASSWORD })).data?.login?.token as string;
    const app = (await graphqlFrom(server, from, 'mutation { createAppPassword(label: "Phone") { secret } }', {}, session)).data
      ?.createAppPassword.secret as string;
    expect(await imapLogin(server, from, 'reset@ah.example', app)).toMatch(/^A1 OK /);
    const reset = await server.cli('user', 'passwd', 'reset@ah.example', '--password', 'reset-by-admin');
    expect(reset.code).toBe(0);
    expect(code(await graphqlFrom(server, from, '{ me { address } }', {}, session))).toBe('UNAUTHENTICATED');
    expect(await imapLogin(server, from, 'reset@ah.example', app)).toMatch(/^A1 NO \[AUTHENTICATIONFAILED\]/);
    expect(reset.stdout).toContain('1 session(s) and 1 app password(s) revoked');
    expect(await imapLogin(server, from, 'reset@ah.example', 'reset-by-admin')).toMatch(/^A1 OK /);
  });

  it('removing a user deletes its sessions, app passwords and uploads', async () => {
    const from = '127.0.0.17';
    const session = (await graphqlFrom(server, from, LOGIN, { e: 'leaver@ah.example', p: PASSWORD })).data?.login?.token as string;
    const accountId = Number((await graphqlFrom(server, from, '{ me { id } }', {}, session)).data?.me.id);
    await graphqlFrom(server, from, 'mutation { createAppPassword(label: "Old laptop") { secret } }', {}, session);
    const upload = await fetch(`http://127.0.0.1:${server.ports.http}/api/webmail/uploads?filename=a.txt&type=text/plain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session}`, 'content-type': 'application/octet-stream' },
      body: 'attachment',
    });
    expect(upload.status).toBe(201);
    const rowsOf = async () => {
      const database = new DataSource(
        server.env.MAILHIVE_DATABASE_URL
          ? { type: 'mysql', url: server.env.MAILHIVE_DATABASE_URL }
          : { type: 'better-sqlite3', database: join(server.dataDir, 'mailhive.sqlite'), readonly: true },
      );
      await database.initialize();
      try {
        const count = async (table: string) =>
          Number(
            ((await database.query(`SELECT COUNT(*) AS n FROM ${table} WHERE accountId = ?`, [accountId])) as { n: number | string }[])[0]!
              .n,
          );
        return { tokens: await count('access_tokens'), uploads: await count('uploads') };
      } finally {
        await database.destroy();
      }
    };
    expect(await rowsOf()).toEqual({ tokens: 2, uploads: 1 });
    expect((await server.cli('user', 'remove', 'leaver@ah.example')).code).toBe(0);
    expect(await rowsOf()).toEqual({ tokens: 0, uploads: 0 });
  });

  it('logs client mistakes (wrong password, LOCKED, UNAUTHENTICATED, NOT_FOUND) at info, not as errors', async () => {
    const from = '127.0.0.18';
    const before = server.logs().length;
    for (let i = 0; i <= LIMIT; i++) await graphqlFrom(server, from, LOGIN, { e: 'mistaken@ah.example', p: 'wrong' });
    expect(code(await graphqlFrom(server, from, '{ me { address } }'))).toBe('UNAUTHENTICATED');
    const session = (await graphqlFrom(server, from, LOGIN, { e: 'burst@ah.example', p: PASSWORD })).data?.login?.token as string;
    expect(code(await graphqlFrom(server, from, 'mutation { revokeAppPassword(id: "999999") }', {}, session))).toBe('NOT_FOUND');
    // The server's output reaches us through a pipe: wait for the last refusal's line rather than for a fixed time.
    const deadline = Date.now() + 5000;
    while (!server.logs().slice(before).includes('"code":"NOT_FOUND"') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = server.logs().slice(before).split('\n');
    expect(lines.filter((line) => line.includes('"level":50'))).toEqual([]);
    for (const refused of ['INVALID_CREDENTIALS', 'LOCKED', 'UNAUTHENTICATED', 'NOT_FOUND']) {
      expect(lines.some((line) => line.includes('"level":30') && line.includes(`"code":"${refused}"`))).toBe(true);
    }
  });
});
