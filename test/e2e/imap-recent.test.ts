import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer, WireClient } from './imap-wire.js';

describe('IMAP \\Recent (RFC 3501 §2.3.2) on the wire', () => {
  let server: MailhiveProcess;
  const clients: WireClient[] = [];

  const loggedIn = async () => {
    const client = await WireClient.open(server.ports.imap);
    clients.push(client);
    expect(await client.command('LOGIN rita@recent.example secret123')).toMatch(/OK/);
    return client;
  };
  const append = async (client: WireClient, mailbox: string, subject: string) => {
    const message = `Subject: ${subject}\r\n\r\nbody\r\n`;
    const tag = client.nextTag();
    client.write(`${tag} APPEND ${mailbox} {${message.length}+}\r\n${message}\r\n`);
    expect(await client.untilTagged(tag)).toMatch(/OK \[APPENDUID/);
  };
  const recentOf = (select: string) => Number(/\* (\d+) RECENT\r\n/.exec(select)?.[1] ?? -1);

  beforeAll(async () => {
    server = await startImapServer(['rita@recent.example']);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server.destroy();
  });

  it('is claimed by the first SELECT after an arrival; EXAMINE shows it without claiming, later sessions do not see it', async () => {
    const writer = await loggedIn();
    await writer.command('CREATE R1');
    await append(writer, 'R1', 'one');
    await append(writer, 'R1', 'two');
    expect(await writer.command('STATUS R1 (MESSAGES RECENT)', 's1')).toBe(
      '* STATUS "R1" (MESSAGES 2 RECENT 2)\r\ns1 OK STATUS completed\r\n',
    );

    const examiner = await loggedIn();
    expect(await examiner.command('EXAMINE R1', 'e1')).toContain('* 2 EXISTS\r\n* 2 RECENT\r\n');
    expect(await examiner.command('FETCH 1:* (FLAGS)', 'e2')).toBe(
      '* 1 FETCH (FLAGS (\\Recent))\r\n* 2 FETCH (FLAGS (\\Recent))\r\ne2 OK FETCH completed\r\n',
    );
    expect(await examiner.command('SEARCH RECENT', 'e3')).toBe('* SEARCH 1 2\r\ne3 OK SEARCH completed\r\n');
    expect(await writer.command('STATUS R1 (RECENT)', 's2')).toBe('* STATUS "R1" (RECENT 2)\r\ns2 OK STATUS completed\r\n');

    const first = await loggedIn();
    const selected = await first.command('SELECT R1', 'f1');
    expect(selected).toContain('* 2 EXISTS\r\n* 2 RECENT\r\n');
    expect(selected).toMatch(/f1 OK \[READ-WRITE\] SELECT completed\r\n$/);
    expect(await first.command('SEARCH NEW', 'f2')).toBe('* SEARCH 1 2\r\nf2 OK SEARCH completed\r\n');
    expect(await first.command('STORE 1 +FLAGS (\\Seen)', 'f3')).toBe('* 1 FETCH (FLAGS (\\Seen \\Recent))\r\nf3 OK STORE completed\r\n');
    expect(await first.command('SEARCH NEW', 'f4')).toBe('* SEARCH 2\r\nf4 OK SEARCH completed\r\n');
    expect(await first.command('UID SEARCH OLD', 'f5')).toBe('* SEARCH\r\nf5 OK UID SEARCH completed\r\n');

    const later = await loggedIn();
    expect(recentOf(await later.command('SELECT R1'))).toBe(0);
    expect(await later.command('FETCH 1:* (FLAGS)', 'l1')).toBe(
      '* 1 FETCH (FLAGS (\\Seen))\r\n* 2 FETCH (FLAGS ())\r\nl1 OK FETCH completed\r\n',
    );
    expect(await later.command('SEARCH RECENT', 'l2')).toBe('* SEARCH\r\nl2 OK SEARCH completed\r\n');
    expect(await later.command('SEARCH OLD', 'l3')).toBe('* SEARCH 1 2\r\nl3 OK SEARCH completed\r\n');
    expect(await writer.command('STATUS R1 (RECENT)', 's3')).toBe('* STATUS "R1" (RECENT 0)\r\ns3 OK STATUS completed\r\n');
    // The first session keeps its \Recent until it leaves the mailbox.
    expect(await first.command('FETCH 2 (FLAGS)', 'f6')).toBe('* 2 FETCH (FLAGS (\\Recent))\r\nf6 OK FETCH completed\r\n');
    expect(recentOf(await examiner.command('EXAMINE R1'))).toBe(0);
  });

  it('gives a message that arrives while two sessions have the mailbox selected to exactly one of them', async () => {
    const writer = await loggedIn();
    await writer.command('CREATE R2');
    await append(writer, 'R2', 'old');
    const a = await loggedIn();
    const b = await loggedIn();
    expect(recentOf(await a.command('SELECT R2'))).toBe(1);
    expect(recentOf(await b.command('SELECT R2'))).toBe(0);
    await append(writer, 'R2', 'new');
    expect(await a.command('NOOP', 'a1')).toBe('* 2 EXISTS\r\n* 2 RECENT\r\na1 OK NOOP completed\r\n');
    expect(await b.command('NOOP', 'b1')).toBe('* 2 EXISTS\r\n* 0 RECENT\r\nb1 OK NOOP completed\r\n');
    expect(await a.command('SEARCH RECENT', 'a2')).toBe('* SEARCH 1 2\r\na2 OK SEARCH completed\r\n');
    expect(await b.command('SEARCH RECENT', 'b2')).toBe('* SEARCH\r\nb2 OK SEARCH completed\r\n');
    // A message delivered over SMTP during IDLE is reported with RECENT to the idling session.
    a.write('a3 IDLE\r\n');
    await a.readUntil((text) => text === '+ idling\r\n');
    const transport = createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, tls: { rejectUnauthorized: false } });
    await transport.sendMail({ from: 'someone@outside.example', to: 'rita@recent.example', subject: 'to the inbox', text: 'x' });
    transport.close();
    await append(writer, 'R2', 'during idle');
    expect(await a.readUntil((text) => text.includes('RECENT\r\n'))).toBe('* 3 EXISTS\r\n* 3 RECENT\r\n');
    a.write('DONE\r\n');
    expect(await a.untilTagged('a3')).toBe('a3 OK IDLE terminated\r\n');
    // The SMTP delivery went to INBOX, unclaimed until someone selects it.
    expect(await writer.command('STATUS INBOX (RECENT)', 'w1')).toBe('* STATUS "INBOX" (RECENT 1)\r\nw1 OK STATUS completed\r\n');
  });

  it('is neither reported nor claimed by IMAP4rev2 sessions (RFC 9051)', async () => {
    const writer = await loggedIn();
    await writer.command('CREATE R3');
    await append(writer, 'R3', 'for rev2');
    const rev2 = await loggedIn();
    expect(await rev2.command('ENABLE IMAP4rev2', 'v1')).toBe('* ENABLED IMAP4rev2\r\nv1 OK ENABLE completed\r\n');
    const select = await rev2.command('SELECT R3', 'v2');
    expect(select).toContain('* 1 EXISTS\r\n');
    expect(select).not.toContain('RECENT');
    expect(await rev2.command('FETCH 1 (FLAGS)', 'v3')).toBe('* 1 FETCH (FLAGS ())\r\nv3 OK FETCH completed\r\n');
    expect(await rev2.command('STATUS R3 (RECENT)', 'v4')).toBe('* STATUS "R3" (RECENT 0)\r\nv4 OK STATUS completed\r\n');
    await append(writer, 'R3', 'second');
    expect(await rev2.command('NOOP', 'v5')).toBe('* 2 EXISTS\r\nv5 OK NOOP completed\r\n');
    // An IMAP4rev1 session selecting afterwards still gets both.
    const rev1 = await loggedIn();
    expect(recentOf(await rev1.command('SELECT R3'))).toBe(2);
  });
});
