// Concurrent IMAP clients and SMTP senders on one mailbox, every response checked against what each client was told
// (imap-wire-model.ts). Used by bench/imap-stress.ts and test/e2e/imap-stress.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { MailhiveProcess } from './mailhive-process.js';
import {
  ClientMailboxModel,
  SharedFlagLedger,
  VIOLATION_KINDS,
  type FetchData,
  type PendingStore,
  type Violation,
  type ViolationKind,
} from './imap-wire-model.js';

export const STRESS_USER = 'stress@stress.example';
export const STRESS_PASSWORD = 'stress-secret1';
const SENDER = 'load@outside.example';
const KEYWORDS = ['$Label1', '$Label2', '$Label3', '$Label4', '$Label5'];
/** Above this many messages a client expunges the oldest, so the mailbox stays of a steady size. */
const TRIM_ABOVE = 200;
const TRIM_COUNT = 40;
/** Messages each FETCH reads (the newest ones): the cost of a round does not grow with the mailbox. */
const FETCH_WINDOW = 40;
/** Rounds of the mixed loop between LOGIN and LOGOUT. */
const ROUNDS_PER_LOGIN = 4;
const START_ATTEMPTS = 3;
/** Violations kept as examples, per kind. */
const SAMPLES_PER_KIND = 3;

export interface StressOptions {
  imapPort: number;
  smtpPort: number;
  seconds: number;
  clients: number;
  senders: number;
}

export interface StressResult {
  seconds: number;
  commands: number;
  /** Tagged NO/BAD answers and dropped connections: the load itself failed, not a protocol rule. */
  failures: number;
  deliveries: number;
  violations: Record<ViolationKind, number>;
  samples: Violation[];
  /** The first few failures, as text (the tagged answer or the error). */
  failureSamples: string[];
}

/** A server for the stress run: the mailbox's user, and DNS fixtures so the senders' domain passes SPF offline. */
export async function startStressServer(env: Record<string, string> = {}): Promise<MailhiveProcess> {
  const file = join(mkdtempSync(join(tmpdir(), 'mailhive-stress-dns-')), 'dns.json');
  writeFileSync(file, JSON.stringify({ 'outside.example': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } }));
  // Each login attempt counts against the limit until its password is checked, so ten clients logging in as one user
  // at once would lock themselves out at the default of 5.
  const server = await MailhiveProcess.create({
    MAILHIVE_SMTP_MAX_CONNECTIONS_PER_ADDRESS: '100',
    MAILHIVE_AUTH_MAX_FAILURES: '100',
    MAILHIVE_DNS_FIXTURES: file,
    ...env,
  });
  await server.cli('domain', 'add', 'stress.example');
  await server.cli('user', 'add', STRESS_USER, '--password', STRESS_PASSWORD);
  // On a loaded machine a cold start can miss start()'s deadline; a second start finds the modules in the page cache.
  for (let attempt = 1; ; attempt++) {
    try {
      await server.start();
      return server;
    } catch (error) {
      await server.stop();
      if (attempt === START_ATTEMPTS) {
        await server.destroy();
        throw error;
      }
    }
  }
}

/** `12.3 commands/s (3702 in 30.0 s), 0 violations: keyword-unannounced 0, ...` */
export function formatStressSummary(result: StressResult): string {
  const total = Object.values(result.violations).reduce((sum, count) => sum + count, 0);
  const kinds = VIOLATION_KINDS.map((kind) => `${kind} ${result.violations[kind]}`).join(', ');
  return (
    `${(result.commands / result.seconds).toFixed(1)} commands/s (${result.commands} in ${result.seconds.toFixed(1)} s, ` +
    `${result.deliveries} SMTP deliveries, ${result.failures} failures), ${total} violations: ${kinds}`
  );
}

export async function runImapStress(options: StressOptions): Promise<StressResult> {
  const violations = Object.fromEntries(VIOLATION_KINDS.map((kind) => [kind, 0])) as Record<ViolationKind, number>;
  const samples: Violation[] = [];
  const report = (violation: Violation) => {
    violations[violation.kind]++;
    if (samples.filter((sample) => sample.kind === violation.kind).length < SAMPLES_PER_KIND) samples.push(violation);
  };
  const ledger = new SharedFlagLedger();
  const deadline = Date.now() + options.seconds * 1000;
  const failureSamples: string[] = [];
  const counts = {
    commands: 0,
    failures: 0,
    deliveries: 0,
    fail(text: string) {
      this.failures++;
      if (failureSamples.length < SAMPLES_PER_KIND * 2) failureSamples.push(text.slice(0, 200));
      if (process.env.IMAP_STRESS_DEBUG) console.error(text);
    },
  };
  const started = performance.now();
  await Promise.all([
    ...Array.from({ length: options.clients }, (_, index) =>
      clientLoop(index, options.imapPort, deadline, new ClientMailboxModel(ledger, report), counts),
    ),
    ...Array.from({ length: options.senders }, (_, index) => senderLoop(index, options.smtpPort, deadline, counts)),
  ]);
  const { commands, failures, deliveries } = counts;
  return { seconds: (performance.now() - started) / 1000, commands, failures, deliveries, violations, samples, failureSamples };
}

interface Counts {
  commands: number;
  failures: number;
  deliveries: number;
  fail(text: string): void;
}

async function clientLoop(index: number, port: number, deadline: number, model: ClientMailboxModel, counts: Counts): Promise<void> {
  let round = 0;
  while (Date.now() < deadline) {
    let client: StressImapClient | null = null;
    try {
      client = await StressImapClient.open(port, model);
      const send = async (command: string | Buffer[]) => {
        const answer = await client!.command(command);
        counts.commands++;
        const status = answer.split(' ')[0].toUpperCase();
        if (status !== 'OK') counts.fail(`${(typeof command === 'string' ? command : command[0].toString()).trim()} -> ${answer}`);
        return status;
      };
      await send(`LOGIN ${STRESS_USER} ${STRESS_PASSWORD}`);
      model.reset();
      await send('SELECT INBOX (CONDSTORE)');
      for (let i = 0; i < ROUNDS_PER_LOGIN && Date.now() < deadline; i++) {
        round++;
        const exists = model.exists;
        if (exists > 0) await send(`FETCH ${Math.max(1, exists - FETCH_WINDOW + 1)}:* (UID FLAGS MODSEQ)`);
        const known = model.knownUids();
        if (known.length > 0) await store(send, model, pick(known), round);
        await send('NOOP');
        const keyword = KEYWORDS[(index + round) % KEYWORDS.length];
        const raw = stressMessage(`imap ${index}.${round}`);
        await send([Buffer.from(`APPEND INBOX (${keyword}) {${raw.length}+}\r\n`), raw]);
        if (model.exists > TRIM_ABOVE) {
          await send(`STORE 1:${TRIM_COUNT} +FLAGS.SILENT (\\Deleted)`);
          await send('EXPUNGE');
        } else if (round % 3 === 0 && known.length > 0) {
          const uid = pick(known);
          await send(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
          await send(`UID EXPUNGE ${uid}`);
        }
      }
      await send('LOGOUT');
    } catch (error) {
      counts.fail(`client ${index}: ${String(error)}`);
    } finally {
      client?.close();
    }
  }
}

/** A STORE of keywords (and sometimes \Seen) on one message, with the answer checked against what was stored. */
async function store(send: (command: string) => Promise<string>, model: ClientMailboxModel, uid: number, round: number): Promise<void> {
  const operations: PendingStore['operation'][] = ['add', 'remove', 'replace'];
  const operation = operations[Math.floor(Math.random() * operations.length)];
  const flags = [KEYWORDS[Math.floor(Math.random() * KEYWORDS.length)]];
  if (Math.random() < 0.3) flags.push('\\Seen');
  const silent = round % 5 === 0;
  const sign = operation === 'add' ? '+' : operation === 'remove' ? '-' : '';
  if (!silent) model.beginStore([uid], { operation, flags });
  try {
    await send(`UID STORE ${uid} ${sign}FLAGS${silent ? '.SILENT' : ''} (${flags.join(' ')})`);
  } finally {
    model.endStore();
  }
}

async function senderLoop(index: number, port: number, deadline: number, counts: Counts): Promise<void> {
  const transport = createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
  });
  let sent = 0;
  try {
    while (Date.now() < deadline) {
      try {
        await transport.sendMail({ envelope: { from: SENDER, to: [STRESS_USER] }, raw: stressMessage(`smtp ${index}.${sent}`) });
        counts.deliveries++;
      } catch (error) {
        counts.fail(`sender ${index}: ${String(error)}`);
      }
      sent++;
      // A steady trickle, not a flood: the mailbox is trimmed by the IMAP clients at their own pace.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    transport.close();
  }
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)];
}

function stressMessage(label: string): Buffer {
  return Buffer.from(
    `From: <${SENDER}>\r\nTo: <${STRESS_USER}>\r\nSubject: stress ${label}\r\nMessage-ID: <${label.replace(/\W/g, '.')}.${Date.now()}@stress>\r\n\r\n` +
      `${'Some body text for the stress run. '.repeat(20)}\r\n`,
  );
}

/**
 * A raw-socket IMAP client that hands every response line, in order, to its model. One command at a time; the
 * server's answers here carry no literals, but a literal is read past all the same.
 */
class StressImapClient {
  private buffer = Buffer.alloc(0);
  private readonly lines: string[] = [];
  private waiter: (() => void) | null = null;
  private ended = false;
  private tag = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly model: ClientMailboxModel,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.split();
      this.waiter?.();
    });
    const end = () => {
      this.ended = true;
      this.waiter?.();
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  static async open(port: number, model: ClientMailboxModel): Promise<StressImapClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new StressImapClient(socket, model);
    await client.nextLine();
    return client;
  }

  /** Splits complete responses (a line, with any literal it announces) off the buffer. */
  private split(): void {
    let start = 0;
    let line = '';
    for (;;) {
      const end = this.buffer.indexOf('\r\n', start);
      if (end < 0) break;
      const text = this.buffer.subarray(start, end).toString('latin1');
      const literal = /\{(\d+)\+?\}$/.exec(text);
      if (literal) {
        const size = Number(literal[1]);
        if (this.buffer.length < end + 2 + size) break;
        line += text + this.buffer.subarray(end + 2, end + 2 + size).toString('latin1');
        start = end + 2 + size;
        continue;
      }
      this.lines.push(line + text);
      line = '';
      start = end + 2;
      this.buffer = this.buffer.subarray(start);
      start = 0;
    }
  }

  private async nextLine(): Promise<string> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.ended) throw new Error('connection closed');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = null;
    }
  }

  /** Sends a command, checks every response to it, and resolves with the tagged answer after the tag. */
  async command(command: string | Buffer[]): Promise<string> {
    const tag = `S${++this.tag}`;
    if (typeof command === 'string') this.socket.write(`${tag} ${command}\r\n`);
    else this.socket.write(Buffer.concat([Buffer.from(`${tag} `), ...command, Buffer.from('\r\n')]));
    for (;;) {
      const line = await this.nextLine();
      if (line.startsWith(`${tag} `)) return line.slice(tag.length + 1);
      if (line.startsWith('* ')) this.untagged(line.slice(2));
    }
  }

  private untagged(text: string): void {
    let match: RegExpExecArray | null;
    if ((match = /^(\d+) EXISTS$/i.exec(text))) this.model.existsResponse(Number(match[1]));
    else if ((match = /^(\d+) EXPUNGE$/i.exec(text))) this.model.expungeResponse(Number(match[1]));
    else if ((match = /^FLAGS \(([^)]*)\)$/i.exec(text))) this.model.flags(words(match[1]));
    else if ((match = /^(\d+) FETCH \((.*)\)$/i.exec(text))) this.model.fetchResponse(fetchData(Number(match[1]), match[2]));
  }

  close(): void {
    this.socket.destroy();
  }
}

function words(text: string): string[] {
  return text.split(' ').filter(Boolean);
}

/** UID, FLAGS and MODSEQ of a FETCH response's items. */
function fetchData(seq: number, items: string): FetchData {
  const uid = /(?:^|\s)UID (\d+)/i.exec(items);
  const flags = /(?:^|\s)FLAGS \(([^)]*)\)/i.exec(items);
  const modseq = /(?:^|\s)MODSEQ \((\d+)\)/i.exec(items);
  return {
    seq,
    uid: uid ? Number(uid[1]) : null,
    flags: flags ? words(flags[1]) : null,
    modseq: modseq ? Number(modseq[1]) : null,
  };
}
