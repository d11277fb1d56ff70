import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { eventually } from '../support/poll.js';
import { RawPop3, runPython, ServerStore } from './pop3-e2e-support.js';

const PASSWORD = 'options password';
const DAY = 86_400_000;

async function login(client: RawPop3, user: string): Promise<string> {
  await client.command(`USER ${user}`);
  return client.command(`PASS ${PASSWORD}`);
}

describe('POP3 options: hide old messages, RETR marks \\Seen', () => {
  let server: MailhiveProcess;
  let store: ServerStore;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_POP3_HIDE_OLDER_THAN_DAYS: '7', MAILHIVE_POP3_RETR_MARKS_SEEN: 'true' });
    await server.start();
    await server.cli('domain', 'add', 'opt.example');
    store = await ServerStore.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('does not show messages received more than N days ago', async () => {
    const user = 'old@opt.example';
    await server.cli('user', 'add', user, '--password', PASSWORD);
    await store.deliver(user, 'Subject: ancient\r\n\r\nx\r\n', Date.now() - 30 * DAY);
    const recent = await store.deliver(user, 'Subject: recent\r\n\r\ny\r\n', Date.now() - 2 * DAY);
    const fetched = await runPython<{ stat: number[]; uidl: Record<string, string> }>('pop3_fetch.py', [
      '127.0.0.1',
      String(server.ports.pop3),
      user,
      PASSWORD,
    ]);
    expect(fetched.stat[0]).toBe(1);
    expect(fetched.uidl).toEqual({ 1: `${recent.uidValidity}.${recent.uid}` });
    expect((await store.messages(user)).length).toBe(2);
  });

  it('flags retrieved messages \\Seen at QUIT, not those only seen with TOP, and not after a dropped connection', async () => {
    const user = 'seen@opt.example';
    await server.cli('user', 'add', user, '--password', PASSWORD);
    for (const n of [1, 2, 3]) await store.deliver(user, `Subject: s${n}\r\n\r\nbody\r\n`);
    const dropped = await RawPop3.connect(server.ports.pop3);
    await dropped.line();
    await login(dropped, user);
    expect(await dropped.command('RETR 3')).toMatch(/^\+OK/);
    await dropped.multiline();
    dropped.drop();

    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    await eventually(
      () => login(client, user),
      (reply) => reply.startsWith('+OK'),
    );
    expect(await client.command('RETR 1')).toMatch(/^\+OK/);
    await client.multiline();
    expect(await client.command('TOP 2 0')).toMatch(/^\+OK/);
    await client.multiline();
    expect(await client.quit()).toBe('+OK bye (0 messages deleted)');
    expect((await store.messages(user)).map((m) => m.seen)).toEqual([true, false, false]);
  });
});

describe('POP3 options: TLS required, LOGIN-DELAY, EXPIRE 0', () => {
  let server: MailhiveProcess;
  let store: ServerStore;

  beforeAll(async () => {
    server = await MailhiveProcess.create({
      MAILHIVE_POP3_PLAINTEXT_AUTH: 'never',
      MAILHIVE_POP3_LOGIN_DELAY_SECONDS: '600',
      MAILHIVE_POP3_EXPIRE: '0',
    });
    await server.start();
    await server.cli('domain', 'add', 'tls.example');
    store = await ServerStore.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('refuses USER and AUTH before TLS and does not offer them in CAPA', async () => {
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    expect(await client.command('CAPA')).toMatch(/^\+OK/);
    const capabilities = (await client.multiline()).toString().split('\r\n');
    expect(capabilities).toContain('STLS');
    expect(capabilities).not.toContain('USER');
    expect(capabilities.some((line) => line.startsWith('SASL'))).toBe(false);
    expect(await client.command('USER someone@tls.example')).toBe(
      '-ERR [AUTH] plaintext authentication is not allowed without TLS, use STLS first',
    );
    expect(await client.command('AUTH PLAIN AGEAYg==')).toBe(
      '-ERR [AUTH] plaintext authentication is not allowed without TLS, use STLS first',
    );
    await client.quit();
  });

  it('announces LOGIN-DELAY and EXPIRE 0, enforces the delay, and deletes retrieved messages at QUIT', async () => {
    const user = 'delay@tls.example';
    await server.cli('user', 'add', user, '--password', PASSWORD);
    for (const n of [1, 2]) await store.deliver(user, `Subject: e${n}\r\n\r\nbody\r\n`);
    const client = await RawPop3.connect(server.ports.pop3s, true);
    await client.line();
    expect(await client.command('CAPA')).toMatch(/^\+OK/);
    const capabilities = (await client.multiline()).toString().split('\r\n');
    expect(capabilities).toEqual(expect.arrayContaining(['USER', 'SASL PLAIN', 'LOGIN-DELAY 600', 'EXPIRE 0']));
    expect(capabilities).not.toContain('STLS');
    expect(await login(client, user)).toBe('+OK maildrop has 2 messages');
    expect(await client.command('RETR 1')).toMatch(/^\+OK/);
    await client.multiline();
    expect(await client.command('TOP 2 1')).toMatch(/^\+OK/);
    await client.multiline();
    expect(await client.quit()).toBe('+OK bye (1 messages deleted)');
    expect((await store.messages(user)).map((m) => m.subject)).toEqual(['e2']);

    const again = await RawPop3.connect(server.ports.pop3s, true);
    await again.line();
    expect(await login(again, user)).toBe('-ERR [LOGIN-DELAY] at most one login every 600 seconds');
    await again.quit();
  });
});

describe('POP3 maildrop lock lifetime (MAILHIVE_POP3_LOCK_SECONDS=2)', () => {
  let server: MailhiveProcess;
  let store: ServerStore;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_POP3_LOCK_SECONDS: '2' });
    await server.start();
    await server.cli('domain', 'add', 'lock.example');
    store = await ServerStore.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('a live session renews its lock: it still keeps others out well after the lock lifetime', async () => {
    const user = 'long@lock.example';
    await server.cli('user', 'add', user, '--password', PASSWORD);
    const first = await RawPop3.connect(server.ports.pop3);
    await first.line();
    expect(await login(first, user)).toMatch(/^\+OK/);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const second = await RawPop3.connect(server.ports.pop3);
    await second.line();
    expect(await login(second, user)).toMatch(/^-ERR \[IN-USE\] /);
    expect(await first.command('NOOP')).toBe('+OK');
    await first.quit();
    await second.quit();
  }, 20_000);

  it('a lock left behind by a node that died expires, and the maildrop opens again', async () => {
    const user = 'orphan@lock.example';
    await server.cli('user', 'add', user, '--password', PASSWORD);
    expect(await store.lockMaildrop(user, 'crashed-node-session', 2000)).toBe(true);
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    expect(await login(client, user)).toBe('-ERR [IN-USE] another POP3 session is using this maildrop');
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect(await login(client, user)).toBe('+OK maildrop has 0 messages');
    await client.quit();
  });
});
