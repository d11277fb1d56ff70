import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { expectedRetr, RawPop3, runPython, ServerStore } from './pop3-e2e-support.js';

interface Fetched {
  stat: [number, number];
  sizes: Record<string, number>;
  uidl: Record<string, string>;
  retr: Record<string, { status: string; octets: number; data: string }>;
  top: Record<string, Record<string, string>>;
  quit?: string;
}

const USER = 'reader@pop.example';
const PASSWORD = 'pop3 secret pass';

// Real-world shapes: CRLF, LF-only, lines starting with ".", no final line end, 8-bit body, a lone "." line.
const MESSAGES = [
  'From: a@pop.example\r\nTo: reader@pop.example\r\nSubject: plain\r\n\r\nHello,\r\nsecond line\r\n',
  'From: b@pop.example\nSubject: LF only\n\nline one\nline two\nline three\n',
  'Subject: dots\r\n\r\n.starts with a dot\r\n..two dots\r\n.\r\nafter a lone dot\r\n',
  'Subject: no final newline\r\n\r\nlast line without CRLF',
  'Subject: 8bit\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe aus K\xf6ln\r\n',
  'Subject: mixed\r\n\r\ncrlf line\r\nlf line\n.dot after lf\nend',
  // Over 1 MiB: streamed from the blob store through the encoder, chunk boundaries falling anywhere.
  `Subject: large, LF only\n\n${Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? `.line ${i} ` : `line ${i} `).padEnd(77, 'x')).join('\n')}\n`,
];

describe('POP3 retrieval', () => {
  let server: MailhiveProcess;
  let store: ServerStore;
  const filed: { uid: number; uidValidity: number }[] = [];

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'pop.example')).code).toBe(0);
    expect((await server.cli('user', 'add', USER, '--password', PASSWORD)).code).toBe(0);
    store = await ServerStore.open(server);
    for (const raw of MESSAGES) filed.push(await store.deliver(USER, raw));
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('RETR sends exactly what was stored, with CRLF line ends, and LIST = STAT = RETR octets (poplib)', async () => {
    const fetched = await runPython<Fetched>('pop3_fetch.py', [
      '127.0.0.1',
      String(server.ports.pop3),
      USER,
      PASSWORD,
      '--top',
      '0',
      '--top',
      '1',
    ]);
    expect(fetched.stat[0]).toBe(MESSAGES.length);
    let total = 0;
    MESSAGES.forEach((raw, index) => {
      const number = String(index + 1);
      const expected = expectedRetr(raw);
      const retr = fetched.retr[number];
      expect(Buffer.from(retr.data, 'base64').toString('latin1')).toBe(expected);
      // poplib's octet count is the bytes it read without dot-stuffing: RFC 1939's size.
      expect(retr.octets).toBe(expected.length);
      expect(fetched.sizes[number]).toBe(expected.length);
      expect(retr.status).toBe(`+OK ${expected.length} octets`);
      total += expected.length;
    });
    expect(fetched.stat[1]).toBe(total);
    expect(fetched.quit).toMatch(/^\+OK/);
  });

  it('TOP 0 sends header and blank line; TOP n adds n body lines (poplib)', async () => {
    const fetched = await runPython<Fetched>('pop3_fetch.py', [
      '127.0.0.1',
      String(server.ports.pop3),
      USER,
      PASSWORD,
      '--top',
      '0',
      '--top',
      '2',
    ]);
    MESSAGES.forEach((raw, index) => {
      const lines = expectedRetr(raw).split('\r\n').slice(0, -1);
      const blank = lines.indexOf('');
      const top = fetched.top[String(index + 1)];
      expect(Buffer.from(top['0'], 'base64').toString('latin1')).toBe(
        lines
          .slice(0, blank + 1)
          .map((l) => `${l}\r\n`)
          .join(''),
      );
      expect(Buffer.from(top['2'], 'base64').toString('latin1')).toBe(
        lines
          .slice(0, blank + 3)
          .map((l) => `${l}\r\n`)
          .join(''),
      );
    });
  });

  it('sends dot-stuffed bytes on the wire and ends with CRLF.CRLF (raw socket)', async () => {
    const client = await RawPop3.connect(server.ports.pop3);
    expect(await client.line()).toMatch(/^\+OK /);
    expect(await client.command(`USER ${USER}`)).toMatch(/^\+OK/);
    expect(await client.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
    expect(await client.command('RETR 3')).toBe(`+OK ${expectedRetr(MESSAGES[2]).length} octets`);
    expect((await client.multiline()).toString('latin1')).toBe(
      'Subject: dots\r\n\r\n..starts with a dot\r\n...two dots\r\n..\r\nafter a lone dot\r\n',
    );
    expect(await client.command('TOP 6 1')).toBe('+OK top of message follows');
    expect((await client.multiline()).toString('latin1')).toBe('Subject: mixed\r\n\r\ncrlf line\r\n');
    expect(await client.command('LIST 2')).toBe(`+OK 2 ${expectedRetr(MESSAGES[1]).length}`);
    expect(await client.quit()).toBe('+OK bye (0 messages deleted)');
  });

  it('UIDL is UIDVALIDITY.UID, stable across sessions and the same as derived from the store', async () => {
    const first = await runPython<Fetched>('pop3_fetch.py', ['127.0.0.1', String(server.ports.pop3), USER, PASSWORD]);
    const second = await runPython<Fetched>('pop3_fetch.py', ['127.0.0.1', String(server.ports.pop3s), USER, PASSWORD, '--ssl']);
    expect(Object.values(first.uidl)).toEqual(filed.map((message) => `${message.uidValidity}.${message.uid}`));
    expect(second.uidl).toEqual(first.uidl);
    for (const uidl of Object.values(first.uidl)) expect(uidl).toMatch(/^[\x21-\x7e]{1,70}$/);
  });

  it('keeps numbers and sizes fixed while new mail arrives during a session', async () => {
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    await client.command(`USER ${USER}`);
    expect(await client.command(`PASS ${PASSWORD}`)).toBe(`+OK maildrop has ${MESSAGES.length} messages`);
    const late = await store.deliver(USER, 'Subject: late\r\n\r\narrived during the session\r\n');
    expect((await client.command('STAT')).split(' ')[1]).toBe(String(MESSAGES.length));
    expect(await client.command(`RETR ${MESSAGES.length + 1}`)).toMatch(/^-ERR no such message/);
    await client.quit();
    const next = await RawPop3.connect(server.ports.pop3);
    await next.line();
    await next.command(`USER ${USER}`);
    expect(await next.command(`PASS ${PASSWORD}`)).toBe(`+OK maildrop has ${MESSAGES.length + 1} messages`);
    expect(await next.command(`UIDL ${MESSAGES.length + 1}`)).toBe(`+OK ${MESSAGES.length + 1} ${late.uidValidity}.${late.uid}`);
    await next.quit();
  });
});
