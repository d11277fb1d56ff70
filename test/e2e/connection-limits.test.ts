import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createClient } from 'graphql-ws';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { login, smtpDeliver } from './graphql-helpers.js';

/**
 * A raw client connection from a chosen loopback address (the whole of 127.0.0.0/8 reaches a server bound to
 * 127.0.0.1), so that each test is its own client address and counts only its own connections.
 */
class Wire {
  private text = '';
  private closed = false;
  private waiters: (() => void)[] = [];

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  static async open(port: number, from: string): Promise<Wire> {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new Wire(socket);
  }

  write(data: string): void {
    this.socket.write(data);
  }

  /** Waits for input matching `pattern`, takes it (and what came before it) and returns it. */
  async expect(pattern: RegExp, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.text);
      if (match) {
        const taken = this.text.slice(0, match.index + match[0].length);
        this.text = this.text.slice(taken.length);
        return taken;
      }
      if (this.closed) throw new Error(`closed before ${String(pattern)}; unread: ${JSON.stringify(this.text)}`);
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} in time; unread: ${JSON.stringify(this.text)}`);
      await this.wait(deadline);
    }
  }

  /** Everything not yet taken, once the server has closed the connection. */
  async closing(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`still open; unread: ${JSON.stringify(this.text)}`);
      await this.wait(deadline);
    }
    return this.text;
  }

  /** RFC 9051 §6.2.1 / RFC 2595 §4: the TLS handshake starts right after the tagged OK. */
  async startTls(): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secure = tlsConnect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('latin1');
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wait(deadline: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Opens a connection and reads its first line, until the greeting is `greeting` (a freed slot is counted out on close, a moment later). */
async function openUntilGreeted(port: number, from: string, greeting: RegExp): Promise<Wire> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const wire = await Wire.open(port, from);
    const first = await wire.expect(/\r\n/).catch(() => '');
    if (greeting.test(first)) return wire;
    wire.destroy();
    if (Date.now() > deadline) throw new Error(`still refused: ${JSON.stringify(first)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const IMAP_GREETING = /^\* OK /;
const TRUSTED = '127.0.0.9';
const POP3_GREETING = /^\+OK /;

describe('connection limits per client address, POP3 login deadline, HTTP request timeout', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create({
      MAILHIVE_SMTP_MAX_CONNECTIONS_PER_ADDRESS: '2',
      MAILHIVE_IMAP_MAX_CONNECTIONS_PER_ADDRESS: '2',
      MAILHIVE_POP3_MAX_CONNECTIONS_PER_ADDRESS: '2',
      MAILHIVE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: '3',
      // Only this one loopback address is trusted, so the caps can be seen on the others.
      MAILHIVE_TRUSTED_NETWORKS: TRUSTED,
      MAILHIVE_POP3_LOGIN_TIMEOUT_SECONDS: '2',
      MAILHIVE_HTTP_REQUEST_TIMEOUT_SECONDS: '2',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'conn.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'lim@conn.example', '--password', 'secret123')).code).toBe(0);
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('refuses the third IMAP connection from one address with * BYE, while its open connections, its POP3 and other addresses are served', async () => {
    const from = '127.0.0.2';
    const open = [await Wire.open(server.ports.imap, from), await Wire.open(server.ports.imap, from)];
    for (const wire of open) await wire.expect(/^\* OK .*\r\n/);
    const refused = await Wire.open(server.ports.imap, from);
    expect(await refused.closing()).toBe('* BYE [UNAVAILABLE] Too many connections from your address, try again later\r\n');

    open[0]!.write('a1 NOOP\r\n');
    expect(await open[0]!.expect(/a1 .*\r\n/)).toMatch(/^a1 OK /m);
    const pop3 = await Wire.open(server.ports.pop3, from);
    expect(await pop3.expect(/\r\n/)).toMatch(POP3_GREETING);
    const flow = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      logger: false,
      tls: { rejectUnauthorized: false },
      auth: { user: 'lim@conn.example', pass: 'secret123' },
    });
    await flow.connect();
    const status = await flow.status('INBOX', { messages: true });
    expect(status && status.messages).toBe(0);
    await flow.logout();

    open[1]!.destroy();
    const again = await openUntilGreeted(server.ports.imap, from, IMAP_GREETING);
    for (const wire of [open[0]!, pop3, again]) wire.destroy();
  });

  it('exempts a trusted network from the per-address caps', async () => {
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await Wire.open(server.ports.imap, TRUSTED), await Wire.open(server.ports.smtp, TRUSTED));
    try {
      for (const wire of open) expect(await wire.expect(/\r\n/)).toMatch(/^(\* OK |220 )/);
    } finally {
      for (const wire of open) wire.destroy();
    }
  });

  it('refuses the third POP3 connection from one address with -ERR [SYS/TEMP], while its open session and its IMAP are served', async () => {
    const from = '127.0.0.3';
    const open = [await Wire.open(server.ports.pop3, from), await Wire.open(server.ports.pop3, from)];
    for (const wire of open) await wire.expect(/^\+OK .*\r\n/);
    const refused = await Wire.open(server.ports.pop3, from);
    expect(await refused.closing()).toBe('-ERR [SYS/TEMP] Too many connections from your address, try again later\r\n');

    open[0]!.write('USER lim@conn.example\r\nPASS secret123\r\nSTAT\r\n');
    expect(await open[0]!.expect(/\+OK 0 0\r\n/)).toContain('+OK');
    const imap = await Wire.open(server.ports.imap, from);
    expect(await imap.expect(/\r\n/)).toMatch(IMAP_GREETING);

    open[0]!.write('QUIT\r\n');
    await open[0]!.closing();
    const again = await openUntilGreeted(server.ports.pop3, from, POP3_GREETING);
    for (const wire of [open[1]!, imap, again]) wire.destroy();
  });

  it('answers the fourth HTTP connection from one address with 503, while other addresses are served', async () => {
    const from = '127.0.0.4';
    const open = await Promise.all([1, 2, 3].map(() => Wire.open(server.ports.http, from)));
    open[0]!.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
    expect(await open[0]!.expect(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 200 /);
    const refused = await Wire.open(server.ports.http, from);
    refused.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
    const answer = await refused.closing();
    expect(answer).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(answer).toContain('Too many connections from your address');
    expect((await fetch(`http://127.0.0.1:${server.ports.http}/healthz`)).status).toBe(200);
    for (const wire of open) wire.destroy();
  });

  it('frees the slot of a connection that upgraded with STARTTLS when it ends (IMAP, SMTP)', async () => {
    const from = '127.0.0.5';
    const plain = await Wire.open(server.ports.imap, from);
    await plain.expect(/^\* OK .*\r\n/);
    const upgraded = await Wire.open(server.ports.imap, from);
    await upgraded.expect(/^\* OK .*\r\n/);
    upgraded.write('s1 STARTTLS\r\n');
    await upgraded.expect(/s1 OK .*\r\n/);
    await upgraded.startTls();
    upgraded.write('s2 LOGOUT\r\n');
    await upgraded.expect(/s2 OK .*\r\n/);
    await upgraded.closing();
    const again = await openUntilGreeted(server.ports.imap, from, IMAP_GREETING);
    for (const wire of [plain, again]) wire.destroy();

    // smtp-server takes every listener off the socket at STARTTLS; two such sessions must not use up a cap of two.
    for (const name of ['one', 'two']) {
      const smtp = await openUntilGreeted(server.ports.smtp, from, /^220 /);
      smtp.write(`EHLO ${name}.example\r\n`);
      await smtp.expect(/^250 .*\r\n/m);
      smtp.write('STARTTLS\r\n');
      await smtp.expect(/^220 .*\r\n/m);
      await smtp.startTls();
      smtp.write(`EHLO ${name}.example\r\nQUIT\r\n`);
      await smtp.expect(/^221 .*\r\n/m);
      await smtp.closing();
    }
    (await openUntilGreeted(server.ports.smtp, from, /^220 /)).destroy();
  });

  it('closes a POP3 client that keeps talking without logging in at the login deadline', async () => {
    const wire = await Wire.open(server.ports.pop3, '127.0.0.6');
    await wire.expect(/^\+OK .*\r\n/);
    const started = Date.now();
    const chatter = setInterval(() => wire.write('CAPA\r\n'), 250);
    try {
      const rest = await wire.closing(5000);
      expect(rest).toMatch(/-ERR login took too long, closing connection\r\n$/);
    } finally {
      clearInterval(chatter);
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(4000);
  });

  it('lets a POP3 client that logged in in time stay past the login deadline', async () => {
    const wire = await Wire.open(server.ports.pop3, '127.0.0.7');
    await wire.expect(/^\+OK .*\r\n/);
    wire.write('USER lim@conn.example\r\nPASS secret123\r\n');
    await wire.expect(/\+OK .*\r\n\+OK .*\r\n/);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    wire.write('STAT\r\nQUIT\r\n');
    expect(await wire.expect(/\+OK 0 0\r\n/)).toBe('+OK 0 0\r\n');
    wire.destroy();
  });

  it('answers a request whose body trickles in with 408 at the request timeout', async () => {
    const wire = await Wire.open(server.ports.http, '127.0.0.8');
    const started = Date.now();
    wire.write('POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle = setInterval(() => wire.write(' '), 200);
    try {
      expect(await wire.closing(6000)).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      clearInterval(trickle);
    }
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it('keeps an authenticated graphql-ws subscription working past the request timeout', async () => {
    const token = await login(server, 'lim@conn.example', 'secret123');
    const client = createClient({
      url: `ws://127.0.0.1:${server.ports.http}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      const event = new Promise<string>((resolve, reject) => {
        client.subscribe(
          { query: 'subscription { mailEvents { type } }' },
          {
            next: (result) => resolve((result.data as { mailEvents: { type: string } }).mailEvents.type),
            error: reject,
            complete: () => reject(new Error('subscription ended')),
          },
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 3500));
      await smtpDeliver(server, [{ from: 'someone@outside.example', to: 'lim@conn.example', subject: 'still there?' }]);
      expect(await event).toBe('MESSAGE_ADDED');
    } finally {
      await client.dispose();
    }
  });
});

describe('global connection ceiling', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_MAX_CONNECTIONS: '4' });
    await server.start();
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('refuses connections over the ceiling on every listener with a clear line, logs a warning, and admits again when one closes', async () => {
    const from = '127.0.0.9';
    // The health check of start-up may still hold one pooled HTTP connection: 3 or 4 IMAP connections fit.
    const open: Wire[] = [];
    let refusal = '';
    while (open.length <= 4) {
      const wire = await Wire.open(server.ports.imap, from);
      const first = await wire.expect(/\r\n/).catch(() => '');
      if (!IMAP_GREETING.test(first)) {
        refusal = first;
        break;
      }
      open.push(wire);
    }
    expect(open.length).toBeGreaterThanOrEqual(3);
    expect(open.length).toBeLessThanOrEqual(4);
    expect(refusal).toBe('* BYE [UNAVAILABLE] Too many connections, try again later\r\n');

    // Another address, another protocol: the ceiling is over all of them.
    const pop3 = await Wire.open(server.ports.pop3, '127.0.0.10');
    expect(await pop3.closing()).toBe('-ERR [SYS/TEMP] Too many connections, try again later\r\n');
    const smtp = await Wire.open(server.ports.smtp, '127.0.0.10');
    expect(await smtp.closing()).toBe('421 4.3.2 Too many connections, try again later\r\n');
    const http = await Wire.open(server.ports.http, '127.0.0.10');
    expect(await http.closing()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(server.logs()).toContain('the global connection ceiling (MAILHIVE_MAX_CONNECTIONS) is reached');

    open.pop()!.destroy();
    const again = await openUntilGreeted(server.ports.pop3, '127.0.0.10', POP3_GREETING);
    for (const wire of [...open, again]) wire.destroy();
  });
});
