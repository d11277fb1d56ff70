import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer, WireClient } from './imap-wire.js';

/** What an IMAP compliance suite checks beyond the basics: each answer as the RFC gives it, on the wire. */
describe('IMAP compliance on the wire', () => {
  let server: MailhiveProcess;
  const clients: WireClient[] = [];
  let users = 0;

  /** A fresh user per test, so each test starts from the default mailboxes whatever ran before. */
  const freshUser = async () => {
    const user = `u${++users}@rules.example`;
    expect((await server.cli('user', 'add', user, '--password', 'secret123')).code).toBe(0);
    const client = await WireClient.open(server.ports.imap);
    clients.push(client);
    expect(await client.command(`LOGIN ${user} secret123`)).toMatch(/OK /);
    return client;
  };
  const append = async (
    client: WireClient,
    mailbox: string,
    message: string | Buffer,
    options: { flags?: string; binary?: boolean; synchronising?: boolean } = {},
  ) => {
    const tag = client.nextTag();
    const bytes = Buffer.from(message);
    const literal = `${options.binary ? '~' : ''}{${bytes.length}${options.synchronising ? '' : '+'}}`;
    client.write(`${tag} APPEND ${mailbox} ${options.flags ? `(${options.flags}) ` : ''}${literal}\r\n`);
    if (options.synchronising) expect(await client.readUntil((text) => text.endsWith('\r\n'))).toMatch(/^\+ /);
    client.write(Buffer.concat([bytes, Buffer.from('\r\n')]));
    return client.untilTagged(tag);
  };

  beforeAll(async () => {
    server = await startImapServer(['first@rules.example']);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server.destroy();
  });

  it('refuses NIL as a flag in STORE and APPEND, and stores nothing', async () => {
    const client = await freshUser();
    expect(await append(client, 'INBOX', 'Subject: n\r\n\r\nx\r\n')).toMatch(/OK \[APPENDUID \d+ 1\]/);
    await client.command('SELECT INBOX');
    expect(await client.command('STORE 1 +FLAGS (NIL)', 'n1')).toBe('n1 BAD NIL is not a flag or keyword\r\n');
    expect(await client.command('UID STORE 1 FLAGS (\\Seen nil)', 'n2')).toBe('n2 BAD NIL is not a flag or keyword\r\n');
    expect(await append(client, 'INBOX', 'Subject: m\r\n\r\ny\r\n', { flags: 'NIL' })).toMatch(
      /^T\d+ BAD NIL is not a flag or keyword\r\n$/,
    );
    expect(await client.command('FETCH 1:* (FLAGS)', 'n3')).toBe('* 1 FETCH (FLAGS (\\Recent))\r\nn3 OK FETCH completed\r\n');
  });

  it('answers a mailbox name that cannot exist with NO, never BAD or a disconnect', async () => {
    const client = await freshUser();
    expect(await client.command('CREATE "a*b"', 'c1')).toMatch(/^c1 NO \[CANNOT\] /);
    expect(await client.command('CREATE "a%b"', 'c2')).toMatch(/^c2 NO \[CANNOT\] /);
    client.write('c3 CREATE {3+}\r\na\x01b\r\n');
    expect(await client.untilTagged('c3')).toMatch(/^c3 NO \[CANNOT\] /);
    client.write('c4 CREATE {3+}\r\na\x7fb\r\n');
    expect(await client.untilTagged('c4')).toMatch(/^c4 NO \[CANNOT\] /);
    expect(await client.command('CREATE "a\x01b"', 'c4a')).toMatch(/^c4a NO \[CANNOT\] /);
    expect(await client.command('CREATE "#news"', 'c4b')).toMatch(/^c4b NO \[CANNOT\] /);
    expect(await client.command('CREATE "a/../b"', 'c4c')).toMatch(/^c4c NO \[CANNOT\] /);
    client.write(Buffer.from('c4d CREATE {2+}\r\n\xff\xfe\r\n', 'latin1'));
    expect(await client.untilTagged('c4d')).toMatch(/^c4d NO \[CANNOT\] /);
    expect(await client.command(`CREATE "${'x'.repeat(2000)}"`, 'c5')).toMatch(/^c5 NO \[CANNOT\] /);
    expect(await client.command(`CREATE "${Array(30).fill('d').join('/')}"`, 'c6')).toMatch(/^c6 NO \[CANNOT\] /);
    expect(await client.command('CREATE "Fine"', 'c7')).toMatch(/^c7 OK /);
    expect(await client.command('RENAME "Fine" "b*c"', 'c8')).toMatch(/^c8 NO \[CANNOT\] /);
    expect(await client.command('LIST "" "*"', 'c9')).not.toMatch(/a\*b|a%b|b\*c/);
    expect(client.closed).toBe(false);
    expect(await client.command('NOOP', 'c10')).toBe('c10 OK NOOP completed\r\n');
  });

  it('compares SENTBEFORE, SENTON and SENTSINCE with the day of the Date header in its own zone', async () => {
    const client = await freshUser();
    // 1 January 23:30 in New York is 2 January in UTC; 2 January 01:00 in Auckland is still 1 January in UTC.
    await append(client, 'INBOX', 'Date: Mon, 01 Jan 2024 23:30:00 -0500\r\nSubject: west\r\n\r\nx\r\n');
    await append(client, 'INBOX', 'Date: Tue, 02 Jan 2024 01:00:00 +1300\r\nSubject: east\r\n\r\nx\r\n');
    await client.command('SELECT INBOX');
    expect(await client.command('SEARCH SENTON 1-Jan-2024', 's1')).toBe('* SEARCH 1\r\ns1 OK SEARCH completed\r\n');
    expect(await client.command('SEARCH SENTON 2-Jan-2024', 's2')).toBe('* SEARCH 2\r\ns2 OK SEARCH completed\r\n');
    expect(await client.command('SEARCH SENTBEFORE 2-Jan-2024', 's3')).toBe('* SEARCH 1\r\ns3 OK SEARCH completed\r\n');
    expect(await client.command('SEARCH SENTSINCE 2-Jan-2024', 's4')).toBe('* SEARCH 2\r\ns4 OK SEARCH completed\r\n');
    expect(await client.command('UID SEARCH NOT SENTON 1-Jan-2024', 's5')).toBe('* SEARCH 2\r\ns5 OK UID SEARCH completed\r\n');
  });

  it('sorts SUBJECT by the RFC 5256 base subject, ASCII case-insensitively', async () => {
    const client = await freshUser();
    const subjects = [
      'Re: [list] Re: delta', // delta
      '[x] [y] Alpha', // alpha
      'Fwd: Re: charlie (fwd)', // charlie
      '_under', // _under: after every letter in i;ascii-casemap
      '[Fwd: Bravo]', // bravo
      'RE[2]: ALPHA', // alpha again: ties go by sequence number
    ];
    for (const subject of subjects) await append(client, 'INBOX', `Subject: ${subject}\r\n\r\nx\r\n`);
    await client.command('SELECT INBOX');
    expect(await client.command('SORT (SUBJECT) UTF-8 ALL', 'o1')).toBe('* SORT 2 6 5 3 1 4\r\no1 OK SORT completed\r\n');
    expect(await client.command('SORT (REVERSE SUBJECT) UTF-8 ALL', 'o2')).toBe('* SORT 4 1 3 5 2 6\r\no2 OK SORT completed\r\n');
  });

  it('lists subscriptions with RECURSIVEMATCH, CHILDINFO and RETURN (CHILDREN SUBSCRIBED), and LSUB % with \\Noselect parents', async () => {
    const client = await freshUser();
    expect(await client.command('CAPABILITY')).toContain(' LIST-EXTENDED ');
    await client.command('CREATE "Top/Sub"');
    await client.command('CREATE "Other"');
    await client.command('UNSUBSCRIBE "Top"');
    await client.command('UNSUBSCRIBE "Other"');
    expect(await client.command('LIST (SUBSCRIBED) "" "Top*"', 'l1')).toBe(
      '* LIST (\\HasNoChildren \\Subscribed) "/" "Top/Sub"\r\nl1 OK LIST completed\r\n',
    );
    expect(await client.command('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"', 'l2')).toBe(
      '* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"\r\n* LIST (\\HasNoChildren \\Archive \\Subscribed) "/" "Archive"\r\n' +
        '* LIST (\\HasNoChildren \\Drafts \\Subscribed) "/" "Drafts"\r\n* LIST (\\HasNoChildren \\Junk \\Subscribed) "/" "Junk"\r\n' +
        '* LIST (\\HasNoChildren \\Sent \\Subscribed) "/" "Sent"\r\n* LIST (\\HasChildren) "/" "Top" ("CHILDINFO" ("SUBSCRIBED"))\r\n' +
        '* LIST (\\HasNoChildren \\Trash \\Subscribed) "/" "Trash"\r\nl2 OK LIST completed\r\n',
    );
    expect(await client.command('LIST "" "T*" RETURN (CHILDREN SUBSCRIBED)', 'l3')).toBe(
      '* LIST (\\HasChildren) "/" "Top"\r\n* LIST (\\HasNoChildren \\Subscribed) "/" "Top/Sub"\r\n' +
        '* LIST (\\HasNoChildren \\Trash \\Subscribed) "/" "Trash"\r\nl3 OK LIST completed\r\n',
    );
    expect(await client.command('LSUB "" "T%"', 'l4')).toBe(
      '* LSUB (\\Noselect) "/" "Top"\r\n* LSUB (\\Trash) "/" "Trash"\r\nl4 OK LSUB completed\r\n',
    );
    expect(await client.command('LSUB "" "To*"', 'l5')).toBe('* LSUB () "/" "Top/Sub"\r\nl5 OK LSUB completed\r\n');
    expect(await client.command('LIST (RECURSIVEMATCH) "" "%"', 'l6')).toBe('l6 BAD RECURSIVEMATCH needs another selection option\r\n');
  });

  it('keeps a subscription whose mailbox is gone and lists it \\NonExistent (RFC 3501 §6.3.6, RFC 5258 §3.4)', async () => {
    const client = await freshUser();
    await client.command('CREATE Gone');
    expect(await client.command('DELETE Gone', 'g1')).toBe('g1 OK DELETE completed\r\n');
    expect(await client.command('LIST (SUBSCRIBED) "" "Gone"', 'g2')).toBe(
      '* LIST (\\NonExistent \\Subscribed) "/" "Gone"\r\ng2 OK LIST completed\r\n',
    );
    expect(await client.command('LIST "" "Gone" RETURN (SUBSCRIBED)', 'g3')).toBe('g3 OK LIST completed\r\n');
    expect(await client.command('LSUB "" "Gone"', 'g4')).toBe('* LSUB () "/" "Gone"\r\ng4 OK LSUB completed\r\n');
    expect(await client.command('UNSUBSCRIBE Gone', 'g5')).toBe('g5 OK UNSUBSCRIBE completed\r\n');
    expect(await client.command('LIST (SUBSCRIBED) "" "Gone"', 'g6')).toBe('g6 OK LIST completed\r\n');
    expect(await client.command('UNSUBSCRIBE Gone', 'g7')).toMatch(/^g7 NO \[NONEXISTENT\] /);
    // A name may be subscribed before its mailbox is made; once made it is an ordinary subscribed mailbox.
    expect(await client.command('SUBSCRIBE Later', 'g8')).toBe('g8 OK SUBSCRIBE completed\r\n');
    expect(await client.command('LIST (SUBSCRIBED) "" "Later"', 'g9')).toBe(
      '* LIST (\\NonExistent \\Subscribed) "/" "Later"\r\ng9 OK LIST completed\r\n',
    );
    await client.command('CREATE Later');
    expect(await client.command('LIST (SUBSCRIBED) "" "Later"', 'g10')).toBe(
      '* LIST (\\HasNoChildren \\Subscribed) "/" "Later"\r\ng10 OK LIST completed\r\n',
    );
    // A subscribed name below an unsubscribed mailbox makes it a RECURSIVEMATCH parent with CHILDINFO.
    await client.command('CREATE Outer');
    await client.command('UNSUBSCRIBE Outer');
    await client.command('SUBSCRIBE "Outer/Missing"');
    expect(await client.command('LIST (SUBSCRIBED RECURSIVEMATCH) "" "Ou%"', 'g11')).toBe(
      '* LIST (\\HasNoChildren) "/" "Outer" ("CHILDINFO" ("SUBSCRIBED"))\r\ng11 OK LIST completed\r\n',
    );
    expect(await client.command('LSUB "" "Ou%"', 'g12')).toBe('* LSUB (\\Noselect) "/" "Outer"\r\ng12 OK LSUB completed\r\n');
    expect(await client.command('SUBSCRIBE "bad*name"', 'g13')).toMatch(/^g13 NO \[CANNOT\] /);
  });

  it('takes SEARCH MODSEQ with an entry name and answers ESEARCH with MODSEQ, and reports HIGHESTMODSEQ when CONDSTORE starts', async () => {
    const client = await freshUser();
    for (const n of [1, 2, 3]) await append(client, 'INBOX', `Subject: m${n}\r\n\r\nx\r\n`);
    const selected = await client.command('SELECT INBOX');
    const highest = Number(/HIGHESTMODSEQ (\d+)/.exec(selected)?.[1]);
    expect(highest).toBeGreaterThan(0);
    // The first CONDSTORE-enabling command while a mailbox is selected reports its HIGHESTMODSEQ (RFC 7162 §3.1).
    expect(await client.command('FETCH 1 (MODSEQ)', 'e1')).toMatch(
      new RegExp(
        `^\\* OK \\[HIGHESTMODSEQ ${highest}\\] Highest\\r\\n\\* 1 FETCH \\(MODSEQ \\(\\d+\\)\\)\\r\\ne1 OK FETCH completed\\r\\n$`,
      ),
    );
    expect(await client.command('FETCH 1 (MODSEQ)', 'e2')).toMatch(/^\* 1 FETCH \(MODSEQ \(\d+\)\)\r\ne2 OK/);
    const stored = await client.command('STORE 2 +FLAGS (\\Seen)', 'e3');
    const modseq = Number(/MODSEQ \((\d+)\)/.exec(stored)?.[1]);
    expect(stored).toMatch(/^\* 2 FETCH \(FLAGS \(\\Seen \\Recent\) MODSEQ \(\d+\)\)\r\ne3 OK/);
    expect(await client.command('SEARCH RETURN (ALL) MODSEQ "/flags/\\\\seen" all 1', 'e4')).toBe(
      `* ESEARCH (TAG "e4") ALL 1:3 MODSEQ ${modseq}\r\ne4 OK SEARCH completed\r\n`,
    );
    expect(await client.command(`UID SEARCH RETURN (COUNT) MODSEQ "/flags/\\\\seen" priv ${modseq}`, 'e5')).toBe(
      `* ESEARCH (TAG "e5") UID COUNT 1 MODSEQ ${modseq}\r\ne5 OK UID SEARCH completed\r\n`,
    );
    expect(await client.command(`SEARCH MODSEQ ${modseq}`, 'e6')).toBe(`* SEARCH 2 (MODSEQ ${modseq})\r\ne6 OK SEARCH completed\r\n`);
    expect(await client.command('SEARCH MODSEQ "/flags/\\\\seen" nobody 1', 'e7')).toBe('e7 BAD Invalid MODSEQ entry type nobody\r\n');
    // Another session: SEARCH MODSEQ is the command that enables CONDSTORE there.
    const other = await WireClient.open(server.ports.imap);
    clients.push(other);
    await other.command(`LOGIN u${users}@rules.example secret123`);
    const reselected = await other.command('EXAMINE INBOX');
    const now = Number(/HIGHESTMODSEQ (\d+)/.exec(reselected)?.[1]);
    expect(await other.command('SEARCH RETURN (MAX) MODSEQ 1', 'e8')).toBe(
      `* OK [HIGHESTMODSEQ ${now}] Highest\r\n* ESEARCH (TAG "e8") MAX 3 MODSEQ ${now}\r\ne8 OK SEARCH completed\r\n`,
    );
  });

  it('keeps a binary part appended with a ~{n} literal: BODY[1] and BINARY[1] return its bytes', async () => {
    const client = await freshUser();
    const part = Buffer.from([0x00, 0x01, 0xff, 0x80, 0x41, 0x0d, 0x0a, 0x00, 0xe9, 0x42]);
    const message = Buffer.concat([
      Buffer.from(
        'Subject: binary\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
          '--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n',
      ),
      part,
      Buffer.from('\r\n--b--\r\n'),
    ]);
    expect(await append(client, 'INBOX', message, { binary: true })).toMatch(/OK \[APPENDUID \d+ 1\]/);
    await client.command('EXAMINE INBOX');
    // BODY[1] carries the stored bytes (as a literal8 when they hold NUL, RFC 3516 §4.2).
    const body = Buffer.from(await client.command('FETCH 1 (BODY.PEEK[1])', 'b1'), 'latin1');
    expect(body.toString('latin1')).toMatch(/^\* 1 FETCH \(BODY\[1\] ~?\{10\}\r\n/);
    expect(body.includes(part)).toBe(true);
    const binary = Buffer.from(await client.command('FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])', 'b2'), 'latin1');
    expect(binary.toString('latin1')).toMatch(/^\* 1 FETCH \(BINARY\[1\] ~\{10\}\r\n/);
    expect(binary.includes(part)).toBe(true);
    expect(binary.toString('latin1')).toContain('BINARY.SIZE[1] 10)');
    const whole = Buffer.from(await client.command('FETCH 1 (BINARY.PEEK[])', 'b3'), 'latin1');
    expect(whole.includes(message)).toBe(true);
    // The same part as the whole body of a single-part message: section 1 is its body.
    const single = Buffer.concat([
      Buffer.from(
        'Subject: single\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n',
      ),
      part,
    ]);
    expect(await append(client, 'INBOX', single, { binary: true, synchronising: true })).toMatch(/OK \[APPENDUID \d+ 2\]/);
    await client.command('EXAMINE INBOX');
    for (const item of ['BODY.PEEK[1]', 'BINARY.PEEK[1]', 'BODY.PEEK[TEXT]']) {
      const reply = Buffer.from(await client.command(`FETCH 2 (${item})`), 'latin1');
      expect(reply.toString('latin1')).toMatch(/^\* 2 FETCH \((BODY|BINARY)\[(1|TEXT)\] ~?\{10\}\r\n/);
      expect(reply.includes(part)).toBe(true);
    }
  });

  it('gives a mailbox made again under a freed name a new, larger UIDVALIDITY, within one second', async () => {
    const client = await freshUser();
    const uidValidity = async (name: string) =>
      Number(/UIDVALIDITY (\d+)/.exec(await client.command(`STATUS "${name}" (UIDVALIDITY)`))?.[1]);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(await client.command('CREATE Again')).toMatch(/OK/);
      seen.push(await uidValidity('Again'));
      expect(await client.command('DELETE Again')).toMatch(/OK/);
    }
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    // RENAME onto the freed name: the renamed mailbox does not come back with a value the name had.
    await client.command('CREATE Moving');
    expect(await client.command('RENAME Moving Again')).toMatch(/OK/);
    const renamed = await uidValidity('Again');
    expect(renamed).toBeGreaterThan(seen[4]);
    const selected = await client.command('SELECT Again');
    expect(selected).toContain(`[UIDVALIDITY ${renamed}]`);
  });
});
