import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { residentBytes } from '../support/process-memory.js';
import { WireSocket } from '../support/wire-socket.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';
import { WireClient } from './imap-wire.js';

// One hostile client must not stall or exhaust the server: while each attack below runs, a NOOP on another IMAP
// connection is answered within 200 ms; afterwards the server still takes mail over SMTP and serves it over IMAP,
// and its resident memory has grown by a bounded amount. Each attack is a bounded version of what was reported.
// The cases share one server; a case that leaves it unresponsive gets it killed and the next case a fresh one.

const USER = 'ann@hostile.example';
const PASSWORD = 'secret123';
/** How long a NOOP on an unrelated connection may take while an attack runs (the median of a few samples). */
const NOOP_BUDGET_MS = 200;
/** No single sample may wait this long: that is a stalled event loop, not a busy machine. */
const NOOP_STALL_MS = 2000;
/**
 * Per-address connection caps for the server under attack (H6). The flood comes from an address of its own; the probe
 * and the checks (at most four connections at a time) come from 127.0.0.1 and stay under the cap.
 */
const CAP = 8;
/** A second loopback address: the attacker's, so that per-address limits do not count the probe or the checks. */
const ATTACKER = '127.0.0.2';
/** The address that opens many idle connections (H6): one of its own, so earlier attacks do not count against it. */
const FLOODER = '127.0.0.3';
const MiB = 1024 * 1024;

/** An authenticated IMAP connection that measures how long a NOOP takes. */
class NoopProbe {
  private constructor(private readonly client: WireClient) {}

  static async open(server: MailhiveProcess): Promise<NoopProbe> {
    const client = await WireClient.open(server.ports.imap);
    const reply = await client.command(`LOGIN ${USER} ${PASSWORD}`);
    if (!/ OK /.test(reply)) throw new Error(`probe login failed: ${reply}`);
    return new NoopProbe(client);
  }

  /** Milliseconds until the tagged OK, or Infinity when it does not come within NOOP_STALL_MS. */
  async latency(): Promise<number> {
    const tag = this.client.nextTag();
    const started = performance.now();
    this.client.write(`${tag} NOOP\r\n`);
    try {
      await this.client.readUntil((text) => text.includes(`${tag} OK`), NOOP_STALL_MS);
      return performance.now() - started;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  /**
   * `samples` NOOPs spaced `gapMs` apart, sorted. The median must be within budget and none may stall: one slow
   * sample on a loaded machine is not a stall, while a blocked event loop makes every sample slow.
   */
  async samples(samples = 5, gapMs = 60): Promise<{ median: number; worst: number }> {
    const taken: number[] = [];
    for (let i = 0; i < samples; i++) {
      taken.push(await this.latency());
      if (taken.at(-1) === Number.POSITIVE_INFINITY) break;
      await pause(gapMs);
    }
    while (taken.length < samples) taken.push(Number.POSITIVE_INFINITY);
    taken.sort((a, b) => a - b);
    return { median: taken[Math.floor(samples / 2)], worst: taken[samples - 1] };
  }

  close(): void {
    this.client.close();
  }
}

/** A NOOP on the probe's connection is answered within budget while `what` goes on. */
async function expectAnswered(probe: NoopProbe, what: string, samples?: number): Promise<void> {
  const { median, worst } = await probe.samples(samples);
  expect(median, `median NOOP latency ${what}`).toBeLessThan(NOOP_BUDGET_MS);
  expect(worst, `slowest NOOP ${what}`).toBeLessThan(NOOP_STALL_MS);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a raw connection closes within `timeoutMs`, and everything it received. */
async function closedWithin(wire: WireSocket, timeoutMs: number): Promise<{ closed: boolean; text: string }> {
  try {
    await wire.until(() => undefined, timeoutMs);
  } catch {
    // still open at the deadline
  }
  return { closed: wire.closed, text: wire.unread.toString('latin1') };
}

/** The server still works: a message sent to port 25 can be fetched over IMAP. */
async function expectServesMail(server: MailhiveProcess, subject: string): Promise<void> {
  const transport = createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'carol@remote.example', to: USER, subject, text: 'still here\n' });
  } finally {
    transport.close();
  }
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port: server.ports.imap,
    secure: false,
    auth: { user: USER, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
    verifyOnly: false,
  });
  await flow.connect();
  try {
    const lock = await flow.getMailboxLock('INBOX');
    try {
      const subjects: string[] = [];
      for await (const message of flow.fetch('1:*', { envelope: true })) subjects.push(message.envelope?.subject ?? '');
      expect(subjects).toContain(subject);
    } finally {
      lock.release();
    }
  } finally {
    await flow.logout();
  }
}

describe('hostile input', () => {
  let server: MailhiveProcess | null = null;
  const cleanups: (() => void)[] = [];

  const current = (): MailhiveProcess => {
    if (!server) throw new Error('no server');
    return server;
  };
  const track = <T extends { close(): void }>(closable: T): T => {
    cleanups.push(() => closable.close());
    return closable;
  };
  const rss = (): number => residentBytes(server?.pid);

  /** Whether a fresh IMAP client is greeted and its NOOP answered within a few seconds. */
  const responsive = async (target: MailhiveProcess): Promise<boolean> => {
    if (!target.running) return false;
    const check = (async () => {
      const client = await WireClient.open(target.ports.imap);
      try {
        return / OK /.test(await client.command('NOOP'));
      } finally {
        client.close();
      }
    })();
    return Promise.race([check.catch(() => false), pause(4000).then(() => false)]);
  };
  /** Stops a server; a server stuck in a loop ignores SIGTERM until the loop ends, so it is killed instead. */
  const stopHard = async (target: MailhiveProcess): Promise<void> => {
    const stopped = await Promise.race([target.stop().then(() => true), pause(3000).then(() => false)]);
    if (!stopped) await target.crash();
    await target.destroy();
  };

  beforeEach(async () => {
    if (server) return;
    // Kept before it starts, so that afterAll stops it even when starting overruns the hook's timeout.
    const fresh = await MailhiveProcess.create({
      MAILHIVE_IMAP_MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
      MAILHIVE_POP3_MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
      MAILHIVE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
      // The caps are under test, and the clients are on loopback, which is trusted by default.
      MAILHIVE_TRUSTED_NETWORKS: '',
    });
    server = fresh;
    await fresh.start();
    expect(await fresh.cli('domain', 'add', USER.split('@')[1])).toMatchObject({ code: 0 });
    expect(await fresh.cli('user', 'add', USER, '--password', PASSWORD)).toMatchObject({ code: 0 });
  }, 120_000);

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    if (server && !(await responsive(server))) {
      const stuck = server;
      server = null;
      await stopHard(stuck);
    }
  }, 30_000);

  afterAll(async () => {
    if (server) await stopHard(server);
    server = null;
  }, 30_000);

  it('C1: LIST wildcard patterns against a 40-character name are answered fast or refused, and never stall other clients', async () => {
    const imap = current();
    const probe = track(await NoopProbe.open(imap));
    const attacker = track(await WireClient.open(imap.ports.imap));
    expect(await attacker.command(`LOGIN ${USER} ${PASSWORD}`)).toMatch(/ OK /);
    expect(await attacker.command(`CREATE "${'a'.repeat(40)}"`)).toMatch(/ OK | NO \[ALREADYEXISTS\]/);
    expect(await attacker.command(`CREATE "${'a'.repeat(60)}"`)).toMatch(/ OK | NO \[ALREADYEXISTS\]/);
    const before = rss();
    for (const [tag, pattern] of [
      ['c1', '*a*a*a*a*a*a*a*a*a*a*a*a*b'],
      ['c2', '%*%*%*%*zz'],
      ['c3', '*a'.repeat(30) + 'b'],
      ['c4', '*'.repeat(1000) + '%/%'],
    ]) {
      attacker.write(`${tag} LIST "" "${pattern}"\r\n`);
      await pause(30);
      await expectAnswered(probe, `NOOP while LIST "${pattern}" runs`);
      const answer = await attacker.readUntil((text) => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)`).test(text), 2000);
      expect(answer).toMatch(new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)`));
      expect(answer).not.toContain('* LIST');
    }
    expect(rss() - before).toBeLessThan(64 * MiB);
    await expectServesMail(imap, 'after C1');
  });

  it('H1: literals chained in one command before login are refused and the connection closed', async () => {
    const imap = current();
    const probe = track(await NoopProbe.open(imap));
    const before = rss();
    const attacker = track(await WireSocket.open(imap.ports.imap, false, ATTACKER));
    // 96 literals of 64 KiB each (6 MiB) in one LOGIN: each alone is within the literal limit, together far past any.
    const chunk = Buffer.concat([Buffer.alloc(64 * 1024, 'a'), Buffer.from(' {65536+}\r\n')]);
    attacker.write('h1 LOGIN {65536+}\r\n');
    for (let i = 0; i < 96 && !attacker.closed; i++) {
      attacker.write(chunk);
      if (i % 16 === 15) await pause(10);
    }
    attacker.write(Buffer.alloc(64 * 1024, 'a'));
    attacker.write('\r\n');
    await expectAnswered(probe, 'NOOP while the literals arrive');
    const { closed, text } = await closedWithin(attacker, 5000);
    expect(text, 'the refusal').toMatch(/(^|\r\n)(h1 (BAD|NO)|\* BYE)/);
    expect(closed, 'the connection closed after the refusal').toBe(true);
    expect(rss() - before).toBeLessThan(64 * MiB);
    await expectServesMail(imap, 'after H1 literals');
  });

  it('H1: a GraphQL websocket frame of megabytes without a token closes the socket', async () => {
    const imap = current();
    const probe = track(await NoopProbe.open(imap));
    const before = rss();
    const socket = new WebSocket(`ws://127.0.0.1:${imap.ports.http}/graphql`, 'graphql-transport-ws', { localAddress: ATTACKER });
    cleanups.push(() => socket.terminate());
    const messages: string[] = [];
    socket.on('message', (data: Buffer) => messages.push(data.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    // A server may also refuse a tokenless upgrade outright: then there is nothing to send.
    const opened = await new Promise<boolean>((resolve) => {
      socket.once('open', () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    // 4 MiB in one frame: far past a maxPayload of a few tens of KiB, and a connection_init a server would ack today.
    if (opened) socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(4 * MiB) } }));
    await expectAnswered(probe, 'NOOP while the frame arrives');
    const code = await Promise.race([closed, pause(3000).then(() => null)]);
    expect(
      messages.some((message) => message.includes('connection_ack')),
      'connection_ack after a 4 MiB frame',
    ).toBe(false);
    expect(code, 'close code').not.toBeNull();
    expect(rss() - before).toBeLessThan(64 * MiB);
    await expectServesMail(imap, 'after H1 websocket');
  });

  it('H2: twenty aliases of message(id){html} on a 2.5 MB HTML mail are refused or answered without stalling others', async () => {
    const imap = current();
    const row =
      '<div class="c"><p style="color:red" onclick="x()">Hello <b>world</b> <a href="https://example.com/x">link</a> <img src="https://tracker.example/p.gif"> <span>text</span></p></div>\n';
    const html = row.repeat(Math.ceil((2.5 * MiB) / row.length));
    const transport = createTransport({ host: '127.0.0.1', port: imap.ports.smtp, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: 'carol@remote.example', to: USER, subject: 'big html', html });
    } finally {
      transport.close();
    }
    const token = await login(imap, USER, PASSWORD);
    const gql = graphqlClient(imap);
    const boxes = await gql('{ mailboxes { id path } }', {}, token);
    const inbox = (boxes.data?.mailboxes as { id: string; path: string }[]).find((box) => box.path === 'INBOX')!.id;
    const page = await gql('query($m: ID!) { messages(mailboxId: $m, first: 5) { nodes { id subject } } }', { m: inbox }, token);
    const id = (page.data?.messages.nodes as { id: string; subject: string }[]).find((node) => node.subject === 'big html')!.id;
    const probe = track(await NoopProbe.open(imap));
    const before = rss();
    const aliases = Array.from({ length: 20 }, (_, i) => `m${i}: message(id: $id) { html }`).join(' ');
    const request = fetch(`http://127.0.0.1:${imap.ports.http}/graphql`, {
      method: 'POST',
      signal: AbortSignal.timeout(20_000),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `query($id: ID!) { ${aliases} }`, variables: { id } }),
    }).then((response) => response.json() as Promise<Awaited<ReturnType<typeof gql>>>);
    request.catch(() => undefined);
    await pause(30);
    await expectAnswered(probe, 'while the html fields are computed', 8);
    const result = await request;
    if (errorCode(result) !== 'QUERY_TOO_COMPLEX') {
      expect(result.errors).toBeUndefined();
      expect(Object.values(result.data ?? {}).filter((message) => typeof (message as { html?: unknown }).html === 'string')).toHaveLength(
        20,
      );
    }
    // Twenty answered copies of a 2.5 MB body are 50 MB of strings and more of JSON; the attack took 1.4 GiB.
    expect(rss() - before).toBeLessThan(512 * MiB);
    await expectServesMail(imap, 'after H2');
  });

  it('H6: idle connections from one address past the per-address caps of IMAP, POP3 and HTTP are refused', async () => {
    const imap = current();
    const probe = track(await NoopProbe.open(imap));
    const before = rss();
    const open = async (port: number) => track(await WireSocket.open(port, false, FLOODER));
    const firstLine = async (wire: WireSocket): Promise<string> => {
      try {
        const line = await wire.until(() => {
          const text = wire.unread.toString('latin1');
          return text.includes('\r\n') ? text : undefined;
        }, 2000);
        return line ?? `(closed) ${wire.unread.toString('latin1')}`;
      } catch {
        return '(nothing)';
      }
    };
    const extra = 20;
    for (const [name, port, greeting] of [
      ['IMAP', imap.ports.imap, /^\* OK/],
      ['POP3', imap.ports.pop3, /^\+OK/],
    ] as const) {
      for (let i = 0; i < CAP; i++) expect(await firstLine(await open(port)), `${name} connection ${i + 1}`).toMatch(greeting);
      const refused = await Promise.all(Array.from({ length: extra }, async () => firstLine(await open(port))));
      expect(refused.filter((line) => greeting.test(line)).length, `${name} connections past the cap of ${CAP} that were greeted`).toBe(0);
    }
    for (let i = 0; i < CAP; i++) await open(imap.ports.http);
    const answers = await Promise.all(
      Array.from({ length: extra }, async () => {
        const wire = await open(imap.ports.http);
        wire.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        return firstLine(wire);
      }),
    );
    expect(answers.filter((line) => line.startsWith('HTTP/1.1 200')).length, `HTTP requests past the cap of ${CAP} that were served`).toBe(
      0,
    );
    await expectAnswered(probe, 'NOOP while the attacker holds its connections');
    // The cap is per address: another client is still greeted while the attacker is at its limit.
    const other = track(await WireClient.open(imap.ports.imap));
    expect(await other.command('NOOP')).toMatch(/ OK /);
    expect(rss() - before).toBeLessThan(64 * MiB);
    await expectServesMail(imap, 'after H6');
  });
});
