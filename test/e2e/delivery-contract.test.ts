import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { RecordingMx } from '../support/recording-mx.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';
import { RawPop3 } from './pop3-e2e-support.js';
import { rawMessage, smtpTransaction } from './smtp-helpers.js';

const PLUGIN = fileURLToPath(new URL('../fixtures/plugins/delivery-contract.plugin.js', import.meta.url));
const PASSWORD = 'secret123';
const SENDER = 'ann@contract.test';
/** Larger than the 1K quota of tiny@, so its copy never fits. */
const BODY = `${'x'.repeat(76)}\r\n`.repeat(30);

type Surface = 'mx' | 'submission' | 'graphql';
const SURFACES: Surface[] = ['mx', 'submission', 'graphql'];
/** The `via` label each surface's deliveries are counted under. */
const VIA: Record<Surface, string> = { mx: 'smtp', submission: 'submission', graphql: 'graphql' };

/** What the sender was told, the same for every surface: SMTP reply classes and GraphQL error codes side by side. */
type Answer = 'accepted' | 'overquota' | 'policy';

interface Sent {
  answer: Answer;
  /** The SMTP DATA reply, or the GraphQL error code ('' when accepted). */
  raw: string;
}

/**
 * One delivery contract for every way a message comes in: port 25, port 587 (authenticated) and GraphQL
 * sendMessage run the same plugin and quota scenarios through DeliveryService, and must agree on what is filed
 * (folder and flags), what is queued for the remote MX, which report or error the sender gets, and which hooks
 * and metrics follow.
 */
describe('delivery contract: port 25, port 587 and GraphQL sendMessage agree', () => {
  let server: MailhiveProcess;
  let token: string;
  let pluginLog: string;
  const remoteMx = new RecordingMx();
  const remoteMail = remoteMx.received;

  beforeAll(async () => {
    const mxPort = await remoteMx.listen();
    const dir = mkdtempSync(join(tmpdir(), 'mailhive-contract-'));
    pluginLog = join(dir, 'plugin.log');
    writeFileSync(
      join(dir, 'dns.json'),
      JSON.stringify({ 'remote.test': { MX: [{ exchange: 'mx.remote.test', priority: 10 }] }, 'mx.remote.test': { A: ['127.0.0.1'] } }),
    );
    server = await MailhiveProcess.create({
      MAILHIVE_PLUGINS: PLUGIN,
      CONTRACT_PLUGIN_LOG: pluginLog,
      MAILHIVE_DNS_FIXTURES: join(dir, 'dns.json'),
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'contract.test')).code).toBe(0);
    for (const user of ['ann', 'rita', 'quinn', 'dora', 'tess', 'lee']) {
      expect((await server.cli('user', 'add', `${user}@contract.test`, '--password', PASSWORD)).code).toBe(0);
    }
    expect((await server.cli('user', 'add', 'tiny@contract.test', '--password', PASSWORD, '--quota', '1K')).code).toBe(0);
    // Lists, so that port 25 (which relays for no one) reaches a remote recipient too.
    expect((await server.cli('alias', 'add', 'team@contract.test', 'lee@contract.test', 'bob@remote.test')).code).toBe(0);
    expect((await server.cli('alias', 'add', 'tinyteam@contract.test', 'tiny@contract.test', 'bob@remote.test')).code).toBe(0);
    token = await login(server, SENDER, PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
    await remoteMx.close();
  });

  const send = async (surface: Surface, recipients: string[], subject: string): Promise<Sent> => {
    if (surface === 'graphql') {
      const result = await graphqlClient(server)(
        'mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }',
        {
          i: { to: recipients.map((address) => ({ address })), subject, text: BODY },
        },
        token,
      );
      const code = errorCode(result) ?? '';
      return {
        answer: code === '' ? 'accepted' : code === 'OVERQUOTA' ? 'overquota' : code === 'REJECTED' ? 'policy' : (code as Answer),
        raw: code,
      };
    }
    const submission = surface === 'submission';
    // Port 25 takes a local envelope sender, but a hosted From only when authenticated: the From is an outside one.
    const reply = await smtpTransaction(submission ? server.ports.submission : server.ports.smtp, {
      login: submission ? { user: SENDER, pass: PASSWORD } : undefined,
      mail: `<${SENDER}>`,
      rcpts: recipients.map((address) => `<${address}>`),
      message: rawMessage(submission ? SENDER : 'news@outside.test', recipients[0]!, subject, BODY),
    });
    expect(reply.rcpts.every((line) => line.startsWith('250'))).toBe(true);
    const data = reply.data ?? '';
    return {
      answer: data.startsWith('250')
        ? 'accepted'
        : /^452 4\.2\.2 /.test(data)
          ? 'overquota'
          : /^5\d\d 5\.7\.1 /.test(data)
            ? 'policy'
            : (data as Answer),
      raw: data,
    };
  };

  /** Subjects and flags of a folder, over IMAP. */
  const folder = async (user: string, path: string): Promise<{ subject: string; flags: string[] }[]> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: `${user}@contract.test`, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock(path);
      try {
        const result: { subject: string; flags: string[] }[] = [];
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const message of client.fetch('1:*', { envelope: true, flags: true })) {
            result.push({ subject: message.envelope?.subject ?? '', flags: [...(message.flags ?? [])].sort() });
          }
        }
        return result;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };
  const subjectsIn = async (user: string, path: string, tag: string) =>
    (await folder(user, path)).filter((item) => item.subject.includes(tag));

  const metric = async (name: string, labels: string): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
    const line = text.split('\n').find((row) => row.startsWith(`${name}{${labels}} `));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  /** What the plugin's informational hooks wrote, the lines that start with `kind` ('delivered' or 'login'). */
  const pluginLines = (kind: string): string[] =>
    existsSync(pluginLog)
      ? readFileSync(pluginLog, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith(`${kind} `))
      : [];
  /** Waits until the hooks (not awaited by the server) wrote `count` more such lines than `before`; sorted. */
  const newLines = async (kind: string, before: number, count: number): Promise<string[]> => {
    const deadline = Date.now() + 10_000;
    while (pluginLines(kind).length < before + count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return pluginLines(kind).slice(before).sort();
  };
  /** The delivery reports in the sender's INBOX about a message whose subject carries `tag`. */
  const reportsAbout = async (tag: string): Promise<string[]> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: SENDER, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const reports: string[] = [];
        for await (const message of client.fetch('1:*', { source: true })) {
          const text = message.source?.toString() ?? '';
          if (text.includes('multipart/report') && text.includes(tag)) reports.push(text);
        }
        return reports;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };

  it.each(SURFACES)(
    'plugin decisions per recipient over %s: reject reported, quarantine to Junk, discard, actions file and flag',
    async (surface) => {
      const tag = `[plugins ${surface}]`;
      const via = VIA[surface];
      const stored = await metric('mailhive_messages_stored_total', `via="${via}"`);
      const rejected = await metric('mailhive_recipients_refused_total', `via="${via}",reason="reject"`);
      const discarded = await metric('mailhive_recipients_refused_total', `via="${via}",reason="discard"`);
      const reports = await metric('mailhive_messages_stored_total', 'via="bounce"');
      const lines = pluginLines('delivered').length;

      const sent = await send(
        surface,
        ['rita@contract.test', 'quinn@contract.test', 'dora@contract.test', 'tess@contract.test'],
        `${tag} hello`,
      );
      expect(sent.answer).toBe('accepted');

      expect(await subjectsIn('quinn', 'Junk', tag)).toEqual([{ subject: `${tag} hello`, flags: [] }]);
      expect(await subjectsIn('quinn', 'INBOX', tag)).toEqual([]);
      expect(await subjectsIn('tess', 'Archive', tag)).toEqual([{ subject: `${tag} hello`, flags: ['$Tagged', '\\Flagged'] }]);
      expect(await subjectsIn('tess', 'INBOX', tag)).toEqual([]);
      expect(await subjectsIn('dora', 'INBOX', tag)).toEqual([]);
      expect(await subjectsIn('rita', 'INBOX', tag)).toEqual([]);
      // Rita's refusal comes back to the sender as a delivery report, through message.deliver like any message.
      const [report, ...more] = await reportsAbout(tag);
      expect(more).toEqual([]);
      expect(report).toContain('Final-Recipient: rfc822; rita@contract.test\r\nAction: failed\r\nStatus: 5.7.1\r\n');
      expect(report).toContain('Diagnostic-Code: smtp; 550 5.7.1 rita refuses this');
      expect(report).not.toContain('dora@contract.test\r\nAction');

      expect(await newLines('delivered', lines, 2)).toEqual([
        `delivered <> ${SENDER}`,
        `delivered <${SENDER}> quinn@contract.test,tess@contract.test`,
      ]);
      expect(await metric('mailhive_messages_stored_total', `via="${via}"`)).toBe(stored + 2);
      expect(await metric('mailhive_messages_stored_total', 'via="bounce"')).toBe(reports + 1);
      expect(await metric('mailhive_recipients_refused_total', `via="${via}",reason="reject"`)).toBe(rejected + 1);
      expect(await metric('mailhive_recipients_refused_total', `via="${via}",reason="discard"`)).toBe(discarded + 1);
    },
  );

  it.each(SURFACES)('one local recipient over quota over %s: the others get their copy, the sender a report', async (surface) => {
    const tag = `[quota ${surface}]`;
    const sent = await send(surface, ['tiny@contract.test', 'lee@contract.test'], `${tag} partly`);
    expect(sent.answer).toBe('accepted');
    expect(await subjectsIn('lee', 'INBOX', tag)).toHaveLength(1);
    expect(await subjectsIn('tiny', 'INBOX', tag)).toEqual([]);
    const [report, ...more] = await reportsAbout(tag);
    expect(more).toEqual([]);
    expect(report).toContain('Final-Recipient: rfc822; tiny@contract.test\r\nAction: failed\r\nStatus: 5.2.2\r\n');
  });

  it.each(SURFACES)('every local recipient over quota over %s: refused, and the remote copy is not queued either', async (surface) => {
    const tag = `[allquota ${surface}]`;
    const queued = await metric('mailhive_messages_queued_total', `via="${VIA[surface]}"`);
    const sent = await send(surface, ['tinyteam@contract.test'], `${tag} nothing`);
    expect(sent.answer).toBe('overquota');
    if (surface === 'graphql') expect(sent.raw).toBe('OVERQUOTA');
    else expect(sent.raw).toMatch(/^452 4\.2\.2 /);
    expect((await server.cli('queue', 'list')).stdout).toBe('');
    expect(await subjectsIn('tiny', 'INBOX', tag)).toEqual([]);
    expect(await reportsAbout(tag)).toEqual([]);
    expect(await metric('mailhive_messages_queued_total', `via="${VIA[surface]}"`)).toBe(queued);
  });

  it.each(SURFACES)('local and remote recipients over %s: filed and queued together, delivered to the remote MX', async (surface) => {
    const tag = `[mixed ${surface}]`;
    const queued = await metric('mailhive_messages_queued_total', `via="${VIA[surface]}"`);
    const sent = await send(surface, ['team@contract.test'], `${tag} both`);
    expect(sent.answer).toBe('accepted');
    expect(await subjectsIn('lee', 'INBOX', tag)).toHaveLength(1);
    expect(await metric('mailhive_messages_queued_total', `via="${VIA[surface]}"`)).toBe(queued + 1);
    const deadline = Date.now() + 15_000;
    while (!remoteMail.some((mail) => mail.raw.includes(tag)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(remoteMail.filter((mail) => mail.raw.includes(tag)).map((mail) => mail.to)).toEqual([['bob@remote.test']]);
  });

  it.each(['submission', 'graphql'] as const)(
    'message.send over %s: reject and quarantine refuse, discard accepts and delivers nothing',
    async (surface) => {
      const tag = `[send ${surface}]`;
      for (const decision of ['SEND-REJECT', 'SEND-QUARANTINE']) {
        const sent = await send(surface, ['lee@contract.test', 'bob@remote.test'], `${tag} ${decision}`);
        expect(sent.answer).toBe('policy');
        if (surface === 'graphql') expect(sent.raw).toBe('REJECTED');
        else expect(sent.raw).toMatch(/^550 5\.7\.1 /);
      }
      expect((await send(surface, ['lee@contract.test', 'bob@remote.test'], `${tag} SEND-DISCARD`)).answer).toBe('accepted');
      expect(await subjectsIn('lee', 'INBOX', tag)).toEqual([]);
      expect((await server.cli('queue', 'list')).stdout).toBe('');
      expect(remoteMail.some((mail) => mail.raw.includes(tag))).toBe(false);
    },
  );

  it('fires account.login on a successful login over IMAP, POP3, SMTP AUTH and GraphQL, and not on a failed one', async () => {
    const before = pluginLines('login').length;
    await expect(login(server, 'lee@contract.test', 'wrong-password')).rejects.toThrow();
    expect(await folder('lee', 'INBOX')).toBeDefined();
    const pop3 = await RawPop3.connect(server.ports.pop3s, true);
    expect(await pop3.line()).toMatch(/^\+OK/);
    expect(await pop3.command('USER lee@contract.test')).toMatch(/^\+OK/);
    expect(await pop3.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
    expect(await pop3.command('QUIT')).toMatch(/^\+OK/);
    await createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'lee@contract.test', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
    }).verify();
    await login(server, 'lee@contract.test', PASSWORD);
    expect(await newLines('login', before, 4)).toEqual([
      'login graphql lee@contract.test',
      'login imap lee@contract.test',
      'login pop3 lee@contract.test',
      'login smtp lee@contract.test',
    ]);
  });
});
