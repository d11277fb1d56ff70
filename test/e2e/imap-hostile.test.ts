import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { WireSocket } from '../support/wire-socket.js';
import { startImapServer, WireClient } from './imap-wire.js';

/** The absolute deadline for logging in, short here so that its test is fast (default 60 s). */
const LOGIN_TIMEOUT_SECONDS = 3;

describe('IMAP against hostile clients', () => {
  let server: MailhiveProcess;
  const clients: WireClient[] = [];
  const sockets: WireSocket[] = [];

  const open = async () => {
    const client = await WireClient.open(server.ports.imap);
    clients.push(client);
    return client;
  };
  const loggedIn = async (user = 'eve@hostile.example') => {
    const client = await open();
    expect(await client.command(`LOGIN ${user} secret123`)).toMatch(/OK \[CAPABILITY [^\]]*\] .* authenticated\r\n$/);
    return client;
  };
  /** A raw socket past the greeting, for input the transcript client cannot send. */
  const raw = async () => {
    const wire = await WireSocket.open(server.ports.imap);
    sockets.push(wire);
    await readUntil(wire, (text) => text.includes('\r\n'));
    return wire;
  };
  const readUntil = async (wire: WireSocket, done: (text: string) => boolean, timeoutMs = 5000) => {
    const text = await wire.until(() => {
      const unread = wire.unread.toString('latin1');
      if (!done(unread)) return undefined;
      wire.take(wire.unread.length);
      return unread;
    }, timeoutMs);
    return text ?? wire.take(wire.unread.length).toString('latin1');
  };
  /** Milliseconds another, logged-in connection waits for its NOOP. */
  const noopDelay = async (client: WireClient) => {
    const started = performance.now();
    expect(await client.command('NOOP')).toMatch(/OK NOOP completed\r\n$/);
    return performance.now() - started;
  };
  const residentBytes = async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
    const match = /^mailhive_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(metrics);
    if (!match) throw new Error('no resident memory in /metrics');
    return Number(match[1]);
  };

  beforeAll(async () => {
    server = await startImapServer(['eve@hostile.example', 'amy@hostile.example'], {
      MAILHIVE_IMAP_LOGIN_TIMEOUT_SECONDS: String(LOGIN_TIMEOUT_SECONDS),
    });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const wire of sockets) wire.close();
    await server.destroy();
  });

  it('answers LIST with backtracking-hostile patterns at once, while another connection is served (C1)', async () => {
    const attacker = await loggedIn();
    const bystander = await loggedIn('amy@hostile.example');
    expect(await attacker.command(`CREATE ${'a'.repeat(40)}`)).toMatch(/OK CREATE completed/);
    expect(await attacker.command(`CREATE ${'a'.repeat(60)}`)).toMatch(/OK CREATE completed/);
    for (const pattern of ['*a*a*a*a*a*a*a*a*a*a*a*a*b', '%*%*%*%*zz', `${'*a'.repeat(100)}b`]) {
      attacker.write(`h1 LIST "" "${pattern}"\r\n`);
      // A backtracking matcher blocks the whole process here for 33 s and more.
      expect(await noopDelay(bystander)).toBeLessThan(500);
      expect(await attacker.untilTagged('h1')).toBe('h1 OK LIST completed\r\n');
    }
    expect(await attacker.command(`LIST "" "${'a'.repeat(40)}"`)).toMatch(
      new RegExp(`^\\* LIST \\(\\\\HasNoChildren\\) "/" "${'a'.repeat(40)}"\r\n`),
    );
  });

  it('refuses LIST patterns longer or more numerous than the limits with BAD (C1)', async () => {
    const client = await loggedIn();
    expect(await client.command(`LIST "" "${'*a'.repeat(600)}"`, 'p1')).toBe(
      'p1 BAD Mailbox patterns too long (limit 1024 octets with the reference)\r\n',
    );
    expect(await client.command(`LIST "${'x'.repeat(1000)}" "${'%'.repeat(30)}"`, 'p2')).toMatch(/^p2 BAD Mailbox patterns too long/);
    expect(await client.command(`LIST "" (${Array(33).fill('"%"').join(' ')})`, 'p3')).toBe(
      'p3 BAD Too many mailbox patterns (limit 32)\r\n',
    );
    expect(await client.command('LIST "" "%"', 'p4')).toMatch(/p4 OK LIST completed\r\n$/);
  });

  it('closes a connection that chains non-synchronising literals before login; memory stays flat and others are served (H1)', async () => {
    const bystander = await loggedIn('amy@hostile.example');
    const before = await residentBytes();
    const wire = await raw();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    // Up to 64 MiB of `a LOGIN {65536+} ... {65536+} ...`, stopping when the server hangs up.
    wire.write('a LOGIN {65536+}\r\n');
    for (let sent = 0; sent < 1024 && !wire.closed; sent++) {
      wire.write(chunk);
      wire.write(' {65536+}\r\n');
      if (sent % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    }
    const reply = await readUntil(wire, () => wire.closed);
    expect(reply).toBe(`a BAD Command too long (limit 8192 octets)\r\n* BYE Cannot continue after a refused literal\r\n`);
    expect(wire.closed).toBe(true);
    expect(await noopDelay(bystander)).toBeLessThan(500);
    expect((await residentBytes()) - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a synchronising literal over the budget before login without a continuation, and goes on (H1)', async () => {
    const wire = await raw();
    wire.write('s1 LOGIN {9000}\r\n');
    expect(await readUntil(wire, (text) => text.endsWith('\r\n'))).toBe('s1 BAD Command too long (limit 8192 octets)\r\n');
    wire.write('s2 LOGIN {3}\r\n');
    expect(await readUntil(wire, (text) => text.endsWith('\r\n'))).toBe('+ Ready for literal data\r\n');
    wire.write('eve {3}\r\n');
    expect(await readUntil(wire, (text) => text.endsWith('\r\n'))).toBe('+ Ready for literal data\r\n');
    // A third literal is one more than LOGIN needs, yet within the count; the fifth is refused.
    wire.write('abc {1}\r\n');
    expect(await readUntil(wire, (text) => text.endsWith('\r\n'))).toBe('+ Ready for literal data\r\n');
    wire.write('x {1}\r\n');
    expect(await readUntil(wire, (text) => text.endsWith('\r\n'))).toBe('+ Ready for literal data\r\n');
    wire.write('y {1}\r\n');
    expect(await readUntil(wire, (text) => text.endsWith('\r\n'))).toBe('s2 BAD Too many literals in one command (limit 4)\r\n');
    wire.write('s3 NOOP\r\n');
    expect(await readUntil(wire, (text) => text.endsWith('\r\n'))).toBe('s3 OK NOOP completed\r\n');
  });

  it('bounds a logged-in command, literals included, and closes after a refused non-synchronising literal (H1)', async () => {
    const client = await loggedIn();
    const text = 'y'.repeat(60_000);
    client.write(`b1 SEARCH TEXT {60000+}\r\n${text}`);
    for (let i = 0; i < 20; i++) client.write(` TEXT {60000+}\r\n${text}`);
    client.write('\r\n');
    const reply = await client.readUntil(() => client.closed);
    expect(reply).toBe(`b1 BAD Command too long (limit ${1024 * 1024} octets)\r\n* BYE Cannot continue after a refused literal\r\n`);
  });

  it('ends a session not logged in by the deadline, however much it sends (H6)', async () => {
    const client = await open();
    const started = performance.now();
    let reply = '';
    for (let i = 0; !client.closed && performance.now() - started < (LOGIN_TIMEOUT_SECONDS + 3) * 1000; i++) {
      // Input every 200 ms would put an idle timer off for ever.
      client.write(`n${i} NOOP\r\n`);
      reply += await client.readUntil((text) => text.endsWith('\r\n'), 2000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const elapsed = (performance.now() - started) / 1000;
    reply += await client.readUntil(() => true);
    expect(reply).toContain('* BYE Autologout; not logged in in time\r\n');
    expect(client.closed).toBe(true);
    expect(elapsed).toBeGreaterThan(LOGIN_TIMEOUT_SECONDS - 0.5);
    expect(elapsed).toBeLessThan(LOGIN_TIMEOUT_SECONDS + 3);
  });

  it('keeps a logged-in session past the login deadline', async () => {
    const client = await loggedIn();
    await new Promise((resolve) => setTimeout(resolve, (LOGIN_TIMEOUT_SECONDS + 0.5) * 1000));
    expect(await client.command('NOOP')).toMatch(/OK NOOP completed\r\n$/);
  });

  it('refuses mailbox names with bidirectional overrides, controls or too many levels with NO [CANNOT]', async () => {
    const client = await loggedIn();
    expect(await client.command('ENABLE UTF8=ACCEPT')).toMatch(/OK/);
    expect(await client.command('CREATE "Invoices\u202Efdp.exe"', 'n1')).toMatch(
      /^n1 NO \[CANNOT\] mailbox names may not contain control or bidirectional/,
    );
    expect(await client.command('CREATE "Quiet\u2066Name\u2069"', 'n2')).toMatch(/^n2 NO \[CANNOT\]/);
    expect(await client.command('CREATE "Bell\u0085"', 'n3')).toMatch(/^n3 NO \[CANNOT\]/);
    expect(await client.command('CREATE Plain', 'n4')).toMatch(/^n4 OK/);
    expect(await client.command('RENAME Plain "Plain\u202Dtxt"', 'n5')).toMatch(/^n5 NO \[CANNOT\]/);
    expect(await client.command(`CREATE ${Array(21).fill('d').join('/')}`, 'n6')).toBe(
      'n6 NO [CANNOT] mailbox names may have at most 20 levels\r\n',
    );
    const other = await loggedIn();
    // Modified UTF-7 (RFC 3501 §5.1.3) spells U+202E as &IC4-.
    expect(await other.command('CREATE "Pay&IC4-gpj.exe"', 'n7')).toMatch(/^n7 NO \[CANNOT\]/);
    const listing = await client.command('LIST "" "*"');
    expect(listing).toContain('"/" "Plain"\r\n');
    expect(listing).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0085]|\/d\/d\/d/);
  });

  it('sends a large message named many times in one FETCH without copying it as often; memory stays flat', async () => {
    const appender = await loggedIn('amy@hostile.example');
    const line = `${'x'.repeat(76)}\r\n`;
    const message = `From: amy@hostile.example\r\nSubject: big\r\n\r\n${line.repeat(Math.ceil((2 * 1024 * 1024) / line.length))}`;
    appender.write(`f0 APPEND INBOX {${message.length}+}\r\n${message}\r\n`);
    expect(await appender.untilTagged('f0')).toMatch(/^f0 OK/);
    const items = Array(64).fill('BODY.PEEK[]').join(' ');
    expect(await appender.command(`SELECT INBOX`)).toMatch(/OK \[READ-WRITE\]/);
    expect(await appender.command(`FETCH 1 (${Array(65).fill('UID').join(' ')})`, 'f1')).toBe(
      'f1 BAD Too many fetch attributes (limit 64)\r\n',
    );

    // A reader that only counts: the response is 64 × 2 MiB.
    const socket = connect({ port: server.ports.imap, host: '127.0.0.1' });
    let received = 0;
    let tail = '';
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 200))).slice(-200);
      if (/\r\nf4 (OK|NO|BAD) [^\r\n]*\r\n$/.test(tail)) done();
    });
    socket.write('f2 LOGIN amy@hostile.example secret123\r\nf3 SELECT INBOX\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await residentBytes();
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await residentBytes());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    socket.write(`f4 FETCH 1 (${items})\r\n`);
    await finished;
    sampling = false;
    await sampler;
    socket.destroy();
    expect(received).toBeGreaterThan(64 * message.length);
    expect(tail).toMatch(/f4 OK FETCH completed\r\n$/);
    // Joined into one buffer, the response alone would be 128 MiB.
    expect(peak - before).toBeLessThan(32 * 1024 * 1024);
  });
});
