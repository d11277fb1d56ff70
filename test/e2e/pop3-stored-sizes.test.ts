import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { expectedRetr, RawPop3, ServerStore } from './pop3-e2e-support.js';

const USER = 'sizes@pop.example';
const PASSWORD = 'pop3 sizes pass';

// CRLF, LF only, mixed, no final line end and one streamed (over 1 MiB, LF only).
const MESSAGES = [
  'From: a@pop.example\r\nSubject: plain\r\n\r\nHello,\r\nsecond line\r\n',
  'From: b@pop.example\nSubject: LF only\n\nline one\nline two\n',
  'Subject: mixed\r\n\r\ncrlf line\r\nlf line\n.dot after lf\nend',
  `Subject: large, LF only\n\n${Array.from({ length: 20_000 }, (_, i) => `line ${i} `.padEnd(77, 'x')).join('\n')}\n`,
];

async function blobReads(server: MailhiveProcess): Promise<{ size: number; content: number }> {
  const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  const count = (purpose: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`mailhive_pop3_blob_reads_total{purpose="${purpose}"} `));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return { size: count('size'), content: count('content') };
}

/** Logs in and asks STAT, LIST and UIDL; returns STAT's total and LIST's sizes. */
async function listing(server: MailhiveProcess): Promise<{ client: RawPop3; total: number; sizes: number[] }> {
  const client = await RawPop3.connect(server.ports.pop3);
  expect(await client.line()).toMatch(/^\+OK/);
  expect(await client.command(`USER ${USER}`)).toMatch(/^\+OK/);
  expect(await client.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
  const stat = /^\+OK (\d+) (\d+)$/.exec(await client.command('STAT'));
  expect(stat?.[1]).toBe(String(MESSAGES.length));
  expect(await client.command('LIST')).toMatch(/^\+OK/);
  const sizes = (await client.multiline())
    .toString('latin1')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => Number(line.split(' ')[1]));
  expect(await client.command('UIDL')).toMatch(/^\+OK/);
  expect((await client.multiline()).toString('latin1').split('\r\n').filter(Boolean)).toHaveLength(MESSAGES.length);
  return { client, total: Number(stat?.[2]), sizes };
}

describe('POP3 sizes are kept with the messages', () => {
  let server: MailhiveProcess;
  let store: ServerStore;
  const expected = MESSAGES.map((raw) => expectedRetr(raw).length);

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'pop.example')).code).toBe(0);
    expect((await server.cli('user', 'add', USER, '--password', PASSWORD)).code).toBe(0);
    store = await ServerStore.open(server);
    for (const raw of MESSAGES) await store.deliver(USER, raw);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('stores the CRLF size and line count of each message at delivery', async () => {
    const rows = await store.messages(USER);
    expect(rows.map((row) => row.crlfSize)).toEqual(expected);
    expect(rows.map((row) => row.lineCount)).toEqual(MESSAGES.map((raw) => expectedRetr(raw).split('\r\n').length - 1));
  });

  it('after a restart, STAT, LIST and UIDL read no blob; RETR reads the message it sends', async () => {
    await server.stop();
    await server.start();
    const { client, total, sizes } = await listing(server);
    expect(sizes).toEqual(expected);
    expect(total).toBe(expected.reduce((a, b) => a + b, 0));
    expect(await blobReads(server)).toEqual({ size: 0, content: 0 });
    expect(await client.command('RETR 1')).toBe(`+OK ${expected[0]} octets`);
    expect((await client.multiline()).toString('latin1')).toBe(expectedRetr(MESSAGES[0]));
    expect((await blobReads(server)).size).toBe(0);
    expect((await blobReads(server)).content).toBeGreaterThan(0);
    expect(await client.quit()).toMatch(/^\+OK/);
  });

  it('measures rows stored without sizes once, writes them back, and reads no blob for them after a restart', async () => {
    await store.forgetCrlfSizes(USER);
    await server.stop();
    await server.start();
    const first = await listing(server);
    expect(first.sizes).toEqual(expected);
    expect(await blobReads(server)).toEqual({ size: MESSAGES.length, content: 0 });
    expect(await first.client.quit()).toMatch(/^\+OK/);
    expect((await store.messages(USER)).map((row) => row.crlfSize)).toEqual(expected);

    await server.stop();
    await server.start();
    const second = await listing(server);
    expect(second.sizes).toEqual(expected);
    expect(await blobReads(server)).toEqual({ size: 0, content: 0 });
    expect(await second.client.quit()).toMatch(/^\+OK/);
  });
});
