import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { eventually } from '../support/poll.js';
import { RawPop3, runPython, ServerStore } from './pop3-e2e-support.js';

const DOMAIN = 'sess.example';
const PASSWORD = 'right password 1';

async function loggedIn(port: number, user: string, tls = false): Promise<RawPop3> {
  const client = await RawPop3.connect(port, tls);
  expect(await client.line()).toMatch(/^\+OK /);
  expect(await client.command(`USER ${user}`)).toBe('+OK send PASS');
  expect(await client.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK maildrop has \d+ messages$/);
  return client;
}

describe('POP3 sessions', () => {
  let server: MailhiveProcess;
  let store: ServerStore;
  let nextUser = 0;

  /** A fresh user with `count` messages, so each test stands alone. */
  async function userWith(count: number): Promise<string> {
    const user = `u${++nextUser}@${DOMAIN}`;
    expect((await server.cli('user', 'add', user, '--password', PASSWORD)).code).toBe(0);
    for (let i = 1; i <= count; i++) await store.deliver(user, `Subject: message ${i}\r\n\r\nbody of ${i}\r\n`);
    return user;
  }

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_AUTH_MAX_FAILURES: '4' });
    await server.start();
    expect((await server.cli('domain', 'add', DOMAIN)).code).toBe(0);
    store = await ServerStore.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('DELE + QUIT expunges through the mail services: messages, expunge log and quota', async () => {
    const user = await userWith(3);
    const before = await store.messages(user);
    const usedBefore = await store.usedBytes(user);
    const modseq = Math.max(...before.map((m) => m.modseq));
    const client = await loggedIn(server.ports.pop3, user);
    expect(await client.command('DELE 1')).toBe('+OK message 1 deleted');
    expect(await client.command('DELE 3')).toBe('+OK message 3 deleted');
    expect(await client.command('STAT')).toBe(`+OK 1 ${before[1].size}`);
    expect(await client.quit()).toBe('+OK bye (2 messages deleted)');
    const after = await store.messages(user);
    expect(after.map((m) => m.uid)).toEqual([before[1].uid]);
    expect(await store.expungedSince(user, modseq)).toEqual([before[0].uid, before[2].uid]);
    expect(await store.usedBytes(user)).toBe(usedBefore - before[0].size - before[2].size);
  });

  it('DELE then a dropped connection deletes nothing and frees the maildrop', async () => {
    const user = await userWith(2);
    const client = await loggedIn(server.ports.pop3, user);
    expect(await client.command('DELE 1')).toMatch(/^\+OK/);
    expect(await client.command('DELE 2')).toMatch(/^\+OK/);
    client.drop();
    // The lease is released when the server notices the drop: a new session gets in and sees both messages.
    await eventually(async () => {
      const probe = await RawPop3.connect(server.ports.pop3);
      await probe.line();
      await probe.command(`USER ${user}`);
      const reply = await probe.command(`PASS ${PASSWORD}`);
      await probe.quit();
      return reply === '+OK maildrop has 2 messages';
    }, Boolean);
    expect((await store.messages(user)).length).toBe(2);
  });

  it('RSET unmarks deleted messages', async () => {
    const user = await userWith(2);
    const client = await loggedIn(server.ports.pop3, user);
    await client.command('DELE 2');
    expect(await client.command('RETR 2')).toBe('-ERR message 2 already deleted');
    expect(await client.command('RSET')).toBe('+OK maildrop has 2 messages');
    expect(await client.command('RETR 2')).toMatch(/^\+OK \d+ octets$/);
    await client.multiline();
    expect(await client.quit()).toBe('+OK bye (0 messages deleted)');
    expect((await store.messages(user)).length).toBe(2);
  });

  it('a second session on the same maildrop gets -ERR [IN-USE] until the first one ends', async () => {
    const user = await userWith(1);
    const first = await loggedIn(server.ports.pop3, user);
    const second = await RawPop3.connect(server.ports.pop3s, true);
    await second.line();
    await second.command(`USER ${user}`);
    expect(await second.command(`PASS ${PASSWORD}`)).toBe('-ERR [IN-USE] another POP3 session is using this maildrop');
    expect(await first.quit()).toMatch(/^\+OK/);
    await second.command(`USER ${user}`);
    expect(await second.command(`PASS ${PASSWORD}`)).toBe('+OK maildrop has 1 messages');
    await second.quit();
  });

  it('wrong password → -ERR [AUTH]; the shared lockout then refuses even the right one', async () => {
    const user = await userWith(0);
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    await client.command(`USER ${user}`);
    expect(await client.command('PASS wrong')).toBe('-ERR [AUTH] invalid user name or password');
    await client.command(`USER ${user}`);
    expect(await client.command('PASS wrong again')).toBe('-ERR [AUTH] invalid user name or password');
    // Third failure in one session closes it.
    await client.command(`USER ${user}`);
    expect(await client.command('PASS still wrong')).toBe('-ERR [AUTH] invalid user name or password');
    await client.waitClosed();
    const next = await RawPop3.connect(server.ports.pop3);
    await next.line();
    await next.command(`USER ${user}`);
    expect(await next.command('PASS wrong 4')).toBe('-ERR [AUTH] invalid user name or password');
    await next.command(`USER ${user}`);
    expect(await next.command(`PASS ${PASSWORD}`)).toBe('-ERR [AUTH] too many failed logins, try again later');
  });

  it('AUTH PLAIN with an initial response and with a continuation, and "*" cancels', async () => {
    const user = await userWith(1);
    const token = Buffer.from(`\0${user}\0${PASSWORD}`).toString('base64');
    const withInitial = await RawPop3.connect(server.ports.pop3);
    await withInitial.line();
    expect(await withInitial.command(`AUTH PLAIN ${token}`)).toBe('+OK maildrop has 1 messages');
    await withInitial.quit();

    const stepwise = await RawPop3.connect(server.ports.pop3);
    await stepwise.line();
    expect(await stepwise.command('AUTH')).toBe('+OK mechanisms follow');
    expect((await stepwise.multiline()).toString()).toBe('PLAIN\r\n');
    expect(await stepwise.command('AUTH PLAIN')).toBe('+ ');
    expect(await stepwise.command('*')).toBe('-ERR authentication cancelled');
    expect(await stepwise.command('AUTH PLAIN')).toBe('+ ');
    expect(await stepwise.command(Buffer.from(`\0${user}\0nope`).toString('base64'))).toBe('-ERR [AUTH] invalid user name or password');
    expect(await stepwise.command('AUTH PLAIN')).toBe('+ ');
    expect(await stepwise.command(token)).toBe('+OK maildrop has 1 messages');
    expect(await stepwise.quit()).toMatch(/^\+OK/);
  });

  it('STLS upgrades the connection; CAPA no longer offers STLS and stale plaintext input is dropped', async () => {
    const user = await userWith(1);
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    expect(await client.command('CAPA')).toBe('+OK capability list follows');
    const before = (await client.multiline()).toString().split('\r\n');
    expect(before).toEqual(
      expect.arrayContaining(['TOP', 'UIDL', 'USER', 'SASL PLAIN', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING', 'STLS', 'EXPIRE NEVER']),
    );
    // A command sent in clear behind STLS must not run inside the TLS session (RFC 2595 §3.1 / CVE-2011-0411).
    client.send('STLS\r\nQUIT\r\n');
    expect(await client.line()).toBe('+OK begin TLS negotiation');
    await client.startTls();
    expect(client.encrypted).toBe(true);
    expect(await client.command('CAPA')).toBe('+OK capability list follows');
    const after = (await client.multiline()).toString().split('\r\n');
    expect(after).not.toContain('STLS');
    expect(after).toContain('USER');
    expect(await client.command('STLS')).toBe('-ERR TLS is already active');
    expect(await client.command(`USER ${user}`)).toBe('+OK send PASS');
    expect(await client.command(`PASS ${PASSWORD}`)).toBe('+OK maildrop has 1 messages');
    expect(await client.quit()).toMatch(/^\+OK/);
  });

  it('answers bad input with -ERR and a reason, and closes after too many errors', async () => {
    const user = await userWith(2);
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    expect(await client.command('STAT')).toBe('-ERR STAT not allowed before login');
    expect(await client.command('FROB 1')).toBe('-ERR unknown command FROB');
    expect(await client.command('PASS x')).toBe('-ERR send USER first');
    expect(await client.command(`NOOP ${'x'.repeat(5000)}`)).toBe('-ERR line too long (limit 4096 octets)');
    await client.command(`USER ${user}`);
    expect(await client.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
    expect(await client.command('USER again')).toBe('-ERR USER not allowed after login');
    expect(await client.command('RETR 3')).toBe('-ERR no such message, only 2 in maildrop');
    expect(await client.command('RETR 0')).toBe('-ERR no such message, only 2 in maildrop');
    expect(await client.command('RETR x')).toBe('-ERR "x" is not a message number');
    expect(await client.command('TOP 1')).toBe('-ERR message number and line count expected');
    expect(await client.command('DELE 1')).toBe('+OK message 1 deleted');
    expect(await client.command('DELE 1')).toBe('-ERR message 1 already deleted');
    expect(await client.command('LIST 1')).toBe('-ERR message 1 already deleted');
    expect(await client.command('NOOP')).toBe('+OK');
    for (let i = 1; i < 10; i++) expect(await client.command('BOGUS')).toBe('-ERR unknown command BOGUS');
    expect(await client.command('BOGUS')).toBe('-ERR unknown command BOGUS');
    expect(await client.line()).toBe('-ERR too many errors, closing connection');
    await client.waitClosed();
    // The session ended without QUIT: the DELE above removed nothing.
    await eventually(
      async () => (await store.messages(user)).length,
      (count) => count === 2,
    );
  });

  it('answers pipelined commands in order (RFC 2449 PIPELINING)', async () => {
    const user = await userWith(3);
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    client.send(`USER ${user}\r\nPASS ${PASSWORD}\r\nSTAT\r\nRETR 1\r\nRETR 2\r\nUIDL 3\r\nQUIT\r\n`);
    expect(await client.line()).toBe('+OK send PASS');
    expect(await client.line()).toBe('+OK maildrop has 3 messages');
    expect(await client.line()).toMatch(/^\+OK 3 \d+$/);
    for (const n of [1, 2]) {
      expect(await client.line()).toMatch(/^\+OK \d+ octets$/);
      expect((await client.multiline()).toString()).toBe(`Subject: message ${n}\r\n\r\nbody of ${n}\r\n`);
    }
    expect(await client.line()).toMatch(/^\+OK 3 \d+\.\d+$/);
    expect(await client.line()).toBe('+OK bye (0 messages deleted)');
    await client.waitClosed();
  });

  it('poplib over POP3S deletes with DELE + QUIT; leave-on-server clients keep everything', async () => {
    const user = await userWith(3);
    const keep = await runPython<{ stat: number[]; quit: string }>('pop3_fetch.py', [
      '127.0.0.1',
      String(server.ports.pop3s),
      user,
      PASSWORD,
      '--ssl',
    ]);
    expect(keep.stat[0]).toBe(3);
    expect((await store.messages(user)).length).toBe(3);
    const remove = await runPython<{ quit: string }>('pop3_fetch.py', [
      '127.0.0.1',
      String(server.ports.pop3s),
      user,
      PASSWORD,
      '--ssl',
      '--dele',
      '2',
    ]);
    expect(remove.quit).toBe('+OK bye (1 messages deleted)');
    expect((await store.messages(user)).map((m) => m.subject)).toEqual(['message 1', 'message 3']);
  });
});
