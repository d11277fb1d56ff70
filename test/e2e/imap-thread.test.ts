import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer, WireClient } from './imap-wire.js';

describe('IMAP THREAD (RFC 5256) on the wire', () => {
  let server: MailhiveProcess;
  let client: WireClient;

  const append = async (mailbox: string, message: string) => {
    const tag = client.nextTag();
    client.write(`${tag} APPEND ${mailbox} {${Buffer.byteLength(message)}+}\r\n${message}\r\n`);
    expect(await client.untilTagged(tag)).toMatch(/OK \[APPENDUID/);
  };
  const mail = (id: string, subject: string, day: number, headers = '') =>
    `Message-ID: <${id}@t.example>\r\nFrom: x@t.example\r\nSubject: ${subject}\r\nDate: Mon, ${day} Jan 2024 10:00:00 +0000\r\n${headers}\r\nbody\r\n`;

  beforeAll(async () => {
    server = await startImapServer(['tess@thread.example']);
    client = await WireClient.open(server.ports.imap);
    await client.command('LOGIN tess@thread.example secret123');
    await client.command('CREATE Threads');
    await append('Threads', mail('a', 'Plan', 1));
    await append('Threads', mail('b', 'Re: Plan', 3, 'References: <a@t.example>\r\n'));
    // No References: In-Reply-To names the parent.
    await append('Threads', mail('c', 'Re: Plan', 2, 'In-Reply-To: <a@t.example>\r\n'));
    // Two replies to a message that is not in the mailbox: a dummy holds them together.
    await append('Threads', mail('d', 'Lunch?', 4, 'References: <missing@t.example>\r\n'));
    await append('Threads', mail('e', 'Re: Lunch?', 5, 'References: <missing@t.example>\r\n'));
    // A second message with Message-ID <a>: treated as unique, so replies to <a> go to the first one.
    await append('Threads', mail('a', 'Other', 6));
    await append('Threads', mail('f', 'Fwd: Other', 7, 'References: <a@t.example>\r\n'));
    // Each names the other as its parent: the loop is not linked.
    await append('Threads', mail('g', 'Loop', 8, 'References: <h@t.example>\r\n'));
    await append('Threads', mail('h', 'Re: Loop', 9, 'References: <g@t.example>\r\n'));
    // A reply that lost its references joins the original by base subject.
    await append('Threads', mail('i', 'Alone', 10));
    await append('Threads', mail('j', '[list] RE: alone (fwd)', 11));
    await client.command('SELECT Threads');
  });

  afterAll(async () => {
    client?.close();
    await server?.destroy();
  });

  it('threads by REFERENCES with nested parentheses', async () => {
    expect(await client.command('THREAD REFERENCES UTF-8 ALL', 't1')).toBe(
      '* THREAD (1 (3)(2)(7))((4)(5))(6)(9 8)(10 11)\r\nt1 OK THREAD completed\r\n',
    );
    expect(await client.command('UID THREAD REFERENCES US-ASCII SUBJECT lunch', 't2')).toBe(
      '* THREAD ((4)(5))\r\nt2 OK UID THREAD completed\r\n',
    );
    expect(await client.command('THREAD REFERENCES UTF-8 SUBJECT nothing-matches', 't3')).toBe('* THREAD\r\nt3 OK THREAD completed\r\n');
  });

  it('threads by ORDEREDSUBJECT and sorts by the same base subject', async () => {
    expect(await client.command('THREAD ORDEREDSUBJECT UTF-8 ALL', 'o1')).toBe(
      '* THREAD (1 (3)(2))(4 5)(6 7)(8 9)(10 11)\r\no1 OK THREAD completed\r\n',
    );
    expect(await client.command('SORT (SUBJECT DATE) UTF-8 ALL', 'o2')).toBe('* SORT 10 11 8 9 4 5 6 7 1 3 2\r\no2 OK SORT completed\r\n');
  });

  it('answers unknown algorithms and charsets', async () => {
    expect(await client.command('THREAD NONSENSE UTF-8 ALL', 'e1')).toBe('e1 BAD Unknown threading algorithm NONSENSE\r\n');
    expect(await client.command('THREAD REFERENCES KOI8-X ALL', 'e2')).toBe('e2 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n');
  });
});
