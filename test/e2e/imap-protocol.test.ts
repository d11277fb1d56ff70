import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { constants as zlibConstants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer, WireClient } from './imap-wire.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'eml');

describe('IMAP on the wire', () => {
  let server: MailhiveProcess;
  const clients: WireClient[] = [];

  const open = async (options: { tls?: boolean; port?: number } = {}) => {
    const client = await WireClient.open(options.port ?? (options.tls ? server.ports.imaps : server.ports.imap), options);
    clients.push(client);
    return client;
  };
  const loggedIn = async (user = 'ann@wire.example') => {
    const client = await open();
    expect(await client.command(`LOGIN ${user} secret123`)).toMatch(/OK \[CAPABILITY [^\]]*\] .* authenticated\r\n$/);
    return client;
  };
  const appendText = async (client: WireClient, mailbox: string, message: string, flags = '') => {
    const tag = client.nextTag();
    client.write(`${tag} APPEND ${mailbox} ${flags ? `(${flags}) ` : ''}{${Buffer.byteLength(message)}+}\r\n${message}\r\n`);
    const reply = await client.untilTagged(tag);
    const match = /\[APPENDUID (\d+) (\d+)\]/.exec(reply);
    if (!match) throw new Error(reply);
    return Number(match[2]);
  };

  beforeAll(async () => {
    server = await startImapServer(['ann@wire.example', 'bob@wire.example']);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server.destroy();
  });

  it('greets with capabilities, refuses commands in the wrong state and a wrong password', async () => {
    const client = await open();
    expect(await client.command('CAPABILITY')).toMatch(/^\* CAPABILITY IMAP4rev1 IMAP4rev2 .*STARTTLS AUTH=PLAIN\r\nT\d+ OK/);
    expect(await client.command('SELECT INBOX', 'a1')).toBe('a1 BAD Log in first\r\n');
    expect(await client.command('LOGIN ann@wire.example wrongpass', 'a2')).toBe(
      'a2 NO [AUTHENTICATIONFAILED] Invalid user name or password\r\n',
    );
    expect(await client.command('LOGIN ann@wire.example secret123', 'a3')).toMatch(/^a3 OK \[CAPABILITY .*IMAP4rev2.*\]/);
    expect(await client.command('FETCH 1 FLAGS', 'a4')).toBe('a4 BAD Select a mailbox first\r\n');
    expect(await client.command('LOGIN x y', 'a5')).toBe('a5 BAD Command not valid in this state\r\n');
  });

  it('authenticates with AUTHENTICATE PLAIN, with SASL-IR and with a continuation', async () => {
    const token = Buffer.from('\0ann@wire.example\0secret123').toString('base64');
    const first = await open();
    expect(await first.command(`AUTHENTICATE PLAIN ${token}`, 'p1')).toMatch(/^p1 OK /);
    const second = await open();
    second.write('p2 AUTHENTICATE PLAIN\r\n');
    expect(await second.readUntil((text) => text.endsWith('\r\n'))).toBe('+ \r\n');
    second.write(`${token}\r\n`);
    expect(await second.untilTagged('p2')).toMatch(/^p2 OK /);
    const third = await open();
    expect(await third.command(`AUTHENTICATE PLAIN ${Buffer.from('\0ann@wire.example\0nope').toString('base64')}`, 'p3')).toMatch(
      /^p3 NO \[AUTHENTICATIONFAILED\]/,
    );
  });

  it('speaks STARTTLS on the plain port and implicit TLS on the other', async () => {
    const client = await open();
    expect(await client.command('STARTTLS', 's1')).toBe('s1 OK Begin TLS negotiation now\r\n');
    await client.startTls();
    expect(await client.command('CAPABILITY', 's2')).not.toContain('STARTTLS');
    expect(await client.command('LOGIN ann@wire.example secret123', 's3')).toMatch(/^s3 OK/);
    const secure = await open({ tls: true });
    expect(await secure.command('CAPABILITY', 's4')).toMatch(/AUTH=PLAIN/);
    expect(await secure.command('STARTTLS', 's5')).toBe('s5 BAD TLS is already active\r\n');
  });

  it('answers bad input with BAD and keeps the session working', async () => {
    const client = await loggedIn();
    expect(await client.command('FETCH 1 FLAGS', 'b1')).toBe('b1 BAD Select a mailbox first\r\n');
    expect(await client.command('SELECT INBOX', 'b2')).toMatch(/b2 OK \[READ-WRITE\]/);
    expect(await client.command('FETCH 1 (FLAGS', 'b3')).toBe('b3 BAD Unbalanced parentheses: missing ")"\r\n');
    expect(await client.command('FETCH 1:x FLAGS', 'b4')).toBe('b4 BAD Invalid sequence set 1:x\r\n');
    expect(await client.command('FETCH 0 FLAGS', 'b5')).toBe('b5 BAD Invalid sequence set 0\r\n');
    expect(await client.command('FETCH 99 FLAGS', 'b6')).toBe('b6 BAD Invalid message sequence number\r\n');
    expect(await client.command('FROBNICATE', 'b7')).toBe('b7 BAD Unknown command FROBNICATE\r\n');
    expect(await client.command('LOGIN "unterminated', 'b8')).toBe('b8 BAD Unterminated quoted string\r\n');
    expect(await client.command('FETCH 1 BODY[FOO]', 'b9')).toBe('b9 BAD Invalid section [FOO]\r\n');
    client.write(`b10 NOOP ${'x'.repeat(70 * 1024)}\r\n`);
    expect(await client.untilTagged('b10')).toMatch(/^b10 BAD Line too long/);
    // A huge synchronising literal is refused before any of it is sent.
    client.write('b11 APPEND INBOX {999999999999}\r\n');
    expect(await client.readUntil((text) => text.endsWith('\r\n'))).toBe('b11 NO [TOOBIG] Message larger than APPENDLIMIT 52428800\r\n');
    client.write('b12 LOGIN {100000}\r\n');
    expect(await client.readUntil((text) => text.endsWith('\r\n'))).toBe('b12 BAD Literal too large (limit 65536 octets)\r\n');
    expect(await client.command('NOOP', 'b13')).toBe('b13 OK NOOP completed\r\n');
  });

  it('refuses an APPEND over quota before the literal is sent', async () => {
    expect((await server.cli('user', 'add', 'tiny@wire.example', '--password', 'secret123', '--quota', '2k')).code).toBe(0);
    const client = await loggedIn('tiny@wire.example');
    client.write('q1 APPEND INBOX {5000}\r\n');
    expect(await client.readUntil((text) => text.endsWith('\r\n'))).toBe('q1 NO [OVERQUOTA] Quota exceeded\r\n');
    await appendText(client, 'INBOX', 'Subject: small\r\n\r\nfits\r\n');
    expect(await client.command('GETQUOTA ""', 'q2')).toBe('* QUOTA "" (STORAGE 1 2)\r\nq2 OK GETQUOTA completed\r\n');
  });

  it('says BYE after too many bad commands in a row', async () => {
    const client = await loggedIn();
    let transcript = '';
    for (let i = 0; i < 25 && !client.closed; i++) {
      client.write(`x${i} BOGUS\r\n`);
      transcript += await client.readUntil((text) => text.endsWith('\r\n') && (text.includes(`x${i} BAD`) || client.closed));
    }
    expect(transcript).toContain('* BYE Too many invalid commands');
    await client.readUntil(() => client.closed);
    expect(client.closed).toBe(true);
  });

  it('closes the session on a refused non-synchronising literal', async () => {
    const client = await loggedIn();
    client.write('n1 LOGIN {100000+}\r\n');
    const reply = await client.readUntil(() => client.closed);
    expect(reply).toMatch(/^n1 BAD Literal too large.*\r\n\* BYE /);
  });

  it('returns BODYSTRUCTURE and ENVELOPE exactly as the RFC 3501 grammar says', async () => {
    const client = await loggedIn();
    await client.command('CREATE Grammar');
    const raw = readFileSync(join(FIXTURES, 'alternative.eml'));
    const tag = client.nextTag();
    client.write(`${tag} APPEND Grammar {${raw.length}}\r\n`);
    await client.readUntil((text) => text.startsWith('+ '));
    client.write(Buffer.concat([raw, Buffer.from('\r\n')]));
    expect(await client.untilTagged(tag)).toMatch(/OK \[APPENDUID \d+ 1\]/);
    await client.command('EXAMINE Grammar');
    const reply = await client.command('FETCH 1 (ENVELOPE BODYSTRUCTURE BODY)', 'g1');
    expect(reply).toBe(
      '* 1 FETCH (ENVELOPE ("Thu, 03 Jul 2003 12:00:00 +0000" "=?ISO-8859-1?Q?Caf=E9_news?=" (("Newsletter" NIL "news" "example.com")) ' +
        '(("Newsletter" NIL "news" "example.com")) (("Newsletter" NIL "news" "example.com")) ((NIL NIL "reader" "example.net")) NIL NIL NIL "<alt-1@example.com>") ' +
        // body-fld-lines counts line breaks; the one before a delimiter is the delimiter's (as Dovecot counts).
        'BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "QUOTED-PRINTABLE" 45 2 NIL NIL NIL NIL)' +
        '("TEXT" "HTML" ("CHARSET" "iso-8859-1") NIL NIL "BASE64" 150 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "alt") NIL NIL NIL) ' +
        'BODY (("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "QUOTED-PRINTABLE" 45 2)("TEXT" "HTML" ("CHARSET" "iso-8859-1") NIL NIL "BASE64" 150 1) "ALTERNATIVE"))\r\n' +
        'g1 OK FETCH completed\r\n',
    );
    // EXAMINE is read-only: fetching BODY[] does not set \Seen. The unclaimed message shows as \Recent.
    const body = await client.command('FETCH 1 (BODY[1]<4.8> BINARY[1] BINARY.SIZE[2] FLAGS)', 'g2');
    expect(body).toBe(
      '* 1 FETCH (BODY[1]<4> {8}\r\nE9 opens BINARY[1] {38}\r\nCaf\xe9 opens at nine. \r\nSoft break here. BINARY.SIZE[2] 110 FLAGS (\\Recent))\r\ng2 OK FETCH completed\r\n',
    );
  });

  it('sets \\Seen on BODY[] but not on BODY.PEEK[], and reports STORE results', async () => {
    const client = await loggedIn();
    await client.command('CREATE Seen');
    await appendText(client, 'Seen', 'Subject: a\r\n\r\nbody a\r\n');
    await client.command('SELECT Seen');
    expect(await client.command('FETCH 1 (BODY.PEEK[TEXT])', 'f1')).toBe(
      '* 1 FETCH (BODY[TEXT] {8}\r\nbody a\r\n)\r\nf1 OK FETCH completed\r\n',
    );
    expect(await client.command('FETCH 1 (BODY[HEADER])', 'f2')).toBe(
      '* 1 FETCH (BODY[HEADER] {14}\r\nSubject: a\r\n\r\n FLAGS (\\Seen \\Recent))\r\nf2 OK FETCH completed\r\n',
    );
    expect(await client.command('STORE 1 +FLAGS (\\Flagged)', 'f3')).toBe(
      '* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))\r\nf3 OK STORE completed\r\n',
    );
    expect(await client.command('UID STORE 1 -FLAGS.SILENT (\\Seen)', 'f4')).toBe('f4 OK UID STORE completed\r\n');
    expect(await client.command('SEARCH UNSEEN FLAGGED', 'f5')).toBe('* SEARCH 1\r\nf5 OK SEARCH completed\r\n');
    expect(await client.command('UID SEARCH RETURN (MIN MAX COUNT) ALL', 'f6')).toBe(
      '* ESEARCH (TAG "f6") UID MIN 1 MAX 1 COUNT 1\r\nf6 OK UID SEARCH completed\r\n',
    );
    expect(await client.command('SEARCH CHARSET KOI8-X TEXT x', 'f7')).toBe('f7 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n');
  });

  it("shows two sessions each other's changes, and no EXPUNGE during FETCH, STORE or SEARCH", async () => {
    const first = await loggedIn();
    const second = await loggedIn();
    await first.command('CREATE Shared');
    for (const n of [1, 2, 3]) await appendText(first, 'Shared', `Subject: m${n}\r\n\r\nmessage ${n}\r\n`);
    await first.command('SELECT Shared');
    await second.command('SELECT Shared');
    expect(await second.command('STORE 2 +FLAGS.SILENT (\\Deleted)', 'c1')).toBe('c1 OK STORE completed\r\n');
    // The first session to select claimed the messages as \Recent; the second did not.
    expect(await first.command('NOOP', 'c2')).toBe('* 2 FETCH (UID 2 FLAGS (\\Deleted \\Recent))\r\nc2 OK NOOP completed\r\n');
    expect(await second.command('EXPUNGE', 'c3')).toBe('* 2 EXPUNGE\r\nc3 OK EXPUNGE completed\r\n');
    // The first session still sees 3 messages until a command that may report expunges.
    expect(await first.command('FETCH 3 (UID)', 'c4')).toBe('* 3 FETCH (UID 3)\r\nc4 OK FETCH completed\r\n');
    expect(await first.command('SEARCH ALL', 'c5')).toBe('* SEARCH 1 3\r\nc5 OK SEARCH completed\r\n');
    expect(await first.command('STORE 3 +FLAGS (\\Seen)', 'c6')).toBe('* 3 FETCH (FLAGS (\\Seen \\Recent))\r\nc6 OK STORE completed\r\n');
    expect(await first.command('NOOP', 'c7')).toBe('* 2 EXPUNGE\r\nc7 OK NOOP completed\r\n');
    expect(await first.command('FETCH 2 (UID)', 'c8')).toBe('* 2 FETCH (UID 3)\r\nc8 OK FETCH completed\r\n');
    await appendText(second, 'Shared', 'Subject: m4\r\n\r\nmessage 4\r\n');
    expect(await first.command('CHECK', 'c9')).toBe('* 3 EXISTS\r\n* 2 RECENT\r\nc9 OK CHECK completed\r\n');
  });

  it('expunges everything for a session whose selected mailbox another session deleted', async () => {
    const viewer = await loggedIn();
    const deleter = await loggedIn();
    await viewer.command('CREATE Doomed');
    for (const n of [1, 2]) await appendText(viewer, 'Doomed', `Subject: d${n}\r\n\r\nx\r\n`);
    await viewer.command('SELECT Doomed');
    expect(await deleter.command('DELETE Doomed', 'x1')).toBe('x1 OK DELETE completed\r\n');
    expect(await viewer.command('NOOP', 'x2')).toBe('* 2 EXPUNGE\r\n* 1 EXPUNGE\r\nx2 OK NOOP completed\r\n');
  });

  it('reports a message appended by another session during IDLE within a second', async () => {
    const idler = await loggedIn();
    const other = await loggedIn();
    await idler.command('CREATE Idle');
    await idler.command('SELECT Idle');
    idler.write('i1 IDLE\r\n');
    expect(await idler.readUntil((text) => text.endsWith('\r\n'))).toBe('+ idling\r\n');
    const sent = Date.now();
    await appendText(other, 'Idle', 'Subject: wake up\r\n\r\nnew mail\r\n');
    expect(await idler.readUntil((text) => text.includes('RECENT\r\n'), 1000)).toBe('* 1 EXISTS\r\n* 1 RECENT\r\n');
    expect(Date.now() - sent).toBeLessThan(1000);
    idler.write('DONE\r\n');
    expect(await idler.untilTagged('i1')).toBe('i1 OK IDLE terminated\r\n');
  });

  it('reports a message delivered over SMTP during IDLE within a second', async () => {
    const idler = await loggedIn();
    await idler.command('SELECT INBOX');
    const before = /\* (\d+) EXISTS/.exec(await idler.command('NOOP'));
    const count = Number((await idler.command('STATUS INBOX (MESSAGES)')).match(/MESSAGES (\d+)/)?.[1]);
    expect(before).toBeNull();
    idler.write('i2 IDLE\r\n');
    await idler.readUntil((text) => text === '+ idling\r\n');
    const transport = createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, tls: { rejectUnauthorized: false } });
    await transport.sendMail({ from: 'someone@outside.example', to: 'ann@wire.example', subject: 'over smtp', text: 'delivered' });
    const delivered = Date.now();
    expect(await idler.readUntil((text) => text.includes('RECENT\r\n'), 1000)).toBe(`* ${count + 1} EXISTS\r\n* 1 RECENT\r\n`);
    expect(Date.now() - delivered).toBeLessThan(1000);
    idler.write('DONE\r\n');
    expect(await idler.untilTagged('i2')).toBe('i2 OK IDLE terminated\r\n');
    transport.close();
  });

  it('copies and moves with COPYUID, and answers TRYCREATE for a missing target', async () => {
    const client = await loggedIn();
    await client.command('CREATE Src');
    await client.command('CREATE Dst');
    // MULTIAPPEND (RFC 3502): three messages in one command, one APPENDUID range.
    const parts = [1, 2, 3].map((n) => `Subject: s${n}\r\n\r\nx\r\n`);
    client.write(
      `m0 APPEND Src (\\Seen) {${parts[0].length}+}\r\n${parts[0]} {${parts[1].length}+}\r\n${parts[1]} () "01-Feb-2024 10:00:00 +0100" {${parts[2].length}+}\r\n${parts[2]}\r\n`,
    );
    expect(await client.untilTagged('m0')).toMatch(/^m0 OK \[APPENDUID \d+ 1:3\] APPEND completed\r\n$/);
    await client.command('SELECT Src');
    expect(await client.command('FETCH 1:3 (FLAGS INTERNALDATE)', 'm00')).toMatch(
      /^\* 1 FETCH \(FLAGS \(\\Seen \\Recent\) INTERNALDATE "[^"]+"\)\r\n\* 2 FETCH \(FLAGS \(\\Recent\) INTERNALDATE "[^"]+"\)\r\n\* 3 FETCH \(FLAGS \(\\Recent\) INTERNALDATE "01-Feb-2024 09:00:00 \+0000"\)\r\n/,
    );
    expect(await client.command('COPY 1:2 Dst', 'm1')).toMatch(/^m1 OK \[COPYUID \d+ 1:2 1:2\] COPY completed\r\n$/);
    expect(await client.command('UID MOVE 3 Dst', 'm2')).toMatch(
      /^\* OK \[COPYUID \d+ 3 3\] Moved\r\n\* 3 EXPUNGE\r\nm2 OK UID MOVE completed\r\n$/,
    );
    expect(await client.command('COPY 1 Nowhere', 'm3')).toBe('m3 NO [TRYCREATE] No such mailbox\r\n');
    expect(await client.command('STATUS Dst (MESSAGES UIDNEXT UNSEEN SIZE)', 'm4')).toMatch(
      /^\* STATUS "Dst" \(MESSAGES 3 UIDNEXT 4 UNSEEN 2 SIZE \d+\)\r\n/,
    );
  });

  it('resynchronises with CONDSTORE and QRESYNC', async () => {
    const client = await loggedIn();
    await client.command('CREATE Sync');
    for (const n of [1, 2, 3]) await appendText(client, 'Sync', `Subject: q${n}\r\n\r\nx\r\n`);
    expect(await client.command('ENABLE QRESYNC', 'q1')).toBe('* ENABLED QRESYNC\r\nq1 OK ENABLE completed\r\n');
    const select = await client.command('SELECT Sync', 'q2');
    const modseq = Number(/HIGHESTMODSEQ (\d+)/.exec(select)?.[1]);
    const validity = Number(/UIDVALIDITY (\d+)/.exec(select)?.[1]);
    expect(await client.command('UID STORE 1 +FLAGS (\\Answered)', 'q3')).toMatch(
      /^\* 1 FETCH \(UID 1 FLAGS \(\\Answered \\Recent\) MODSEQ \((\d+)\)\)\r\nq3 OK/,
    );
    await client.command('UID STORE 2 +FLAGS.SILENT (\\Deleted)');
    expect(await client.command('UID EXPUNGE 2', 'q4')).toBe('* VANISHED 2\r\nq4 OK UID EXPUNGE completed\r\n');
    const changed = await client.command(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${modseq} VANISHED)`, 'q5');
    expect(changed).toMatch(/^\* VANISHED \(EARLIER\) 2\r\n\* 1 FETCH \(UID 1 FLAGS \(\\Answered \\Recent\) MODSEQ \(\d+\)\)\r\nq5 OK/);
    await client.command('UNSELECT');
    const resync = await client.command(`SELECT Sync (QRESYNC (${validity} ${modseq}))`, 'q6');
    expect(resync).toContain('* VANISHED (EARLIER) 2\r\n');
    // The first SELECT claimed \\Recent; this one does not see it again.
    expect(resync).toMatch(/\* 1 FETCH \(UID 1 FLAGS \(\\Answered\) MODSEQ \(\d+\)\)\r\n/);
    expect(await client.command(`UID STORE 3 (UNCHANGEDSINCE 1) +FLAGS (\\Seen)`, 'q7')).toBe(
      'q7 OK [MODIFIED 3] Some messages were modified since\r\n',
    );
  });

  it('lists with LIST-EXTENDED, LIST-STATUS and special-use, and sends UTF-8 names only after ENABLE', async () => {
    const client = await loggedIn();
    expect(await client.command('CREATE "Caf&AOk-"', 'l1')).toBe('l1 OK CREATE completed\r\n');
    expect(await client.command('LIST "" "Caf*"', 'l2')).toBe('* LIST (\\HasNoChildren) "/" "Caf&AOk-"\r\nl2 OK LIST completed\r\n');
    expect(await client.command('LIST (SPECIAL-USE) "" "*" RETURN (STATUS (MESSAGES))', 'l3')).toMatch(
      /\* LIST \(\\HasNoChildren \\Drafts\) "\/" "Drafts"\r\n\* STATUS "Drafts" \(MESSAGES 0\)\r\n/,
    );
    expect(await client.command('LIST "" ""', 'l4')).toBe('* LIST (\\Noselect) "/" ""\r\nl4 OK LIST completed\r\n');
    expect(await client.command('ENABLE UTF8=ACCEPT', 'l5')).toBe('* ENABLED UTF8=ACCEPT\r\nl5 OK ENABLE completed\r\n');
    expect(Buffer.from(await client.command('LIST "" "Caf*"', 'l6'), 'latin1').toString('utf8')).toBe(
      '* LIST (\\HasNoChildren) "/" "Café"\r\nl6 OK LIST completed\r\n',
    );
    const utf8Message = Buffer.from('Subject: Grüße per UTF8\r\n\r\nhallo\r\n');
    client.write(Buffer.concat([Buffer.from(`l9 APPEND "Café" UTF8 (~{${utf8Message.length}+}\r\n`), utf8Message, Buffer.from(')\r\n')]));
    expect(await client.untilTagged('l9')).toMatch(/^l9 OK \[APPENDUID \d+ 1\] APPEND completed\r\n$/);
    expect(await client.command('NAMESPACE', 'l7')).toBe('* NAMESPACE (("" "/")) NIL NIL\r\nl7 OK NAMESPACE completed\r\n');
    expect(await client.command('GETQUOTAROOT INBOX', 'l8')).toBe(
      '* QUOTAROOT "INBOX" ""\r\n* QUOTA "" ()\r\nl8 OK GETQUOTAROOT completed\r\n',
    );
  });

  it('compresses both directions after COMPRESS DEFLATE', async () => {
    const socket = connect({ port: server.ports.imap, host: '127.0.0.1' });
    let plain = '';
    socket.on('data', (chunk: Buffer) => {
      plain += chunk.toString('latin1');
    });
    const waitFor = async (done: () => boolean) => {
      for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await waitFor(() => plain.includes('\r\n'));
    socket.write('z1 LOGIN ann@wire.example secret123\r\nz2 COMPRESS DEFLATE\r\n');
    await waitFor(() => plain.includes('z2 OK'));
    expect(plain).toMatch(/z2 OK DEFLATE active\r\n$/);
    socket.removeAllListeners('data');
    const inflate = createInflateRaw();
    const deflate = createDeflateRaw();
    socket.pipe(inflate);
    deflate.pipe(socket);
    let text = '';
    inflate.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    deflate.write('z3 COMPRESS DEFLATE\r\nz4 SELECT INBOX\r\n');
    deflate.flush(zlibConstants.Z_SYNC_FLUSH);
    await waitFor(() => text.includes('z4 OK'));
    expect(text).toMatch(
      /^z3 NO \[COMPRESSIONACTIVE\] Compression is already active\r\n(.|\r\n)*\* OK \[UIDVALIDITY \d+\](.|\r\n)*z4 OK \[READ-WRITE\] SELECT completed\r\n$/,
    );
    socket.destroy();
  });

  it('sorts and threads', async () => {
    const client = await loggedIn();
    await client.command('CREATE Threads');
    const mail = (id: string, from: string, subject: string, day: number, extra = '') =>
      `Message-ID: <${id}@x.example>\r\nFrom: ${from}@x.example\r\nSubject: ${subject}\r\nDate: Mon, ${day} Jan 2024 10:00:00 +0000\r\n${extra}\r\nbody ${id}\r\n`;
    await appendText(client, 'Threads', mail('a', 'zed', 'Plan', 1));
    await appendText(client, 'Threads', mail('b', 'amy', 'Re: Plan', 2, 'In-Reply-To: <a@x.example>\r\nReferences: <a@x.example>\r\n'));
    await appendText(client, 'Threads', mail('c', 'bob', 'Other', 3));
    await appendText(client, 'Threads', mail('d', 'amy', 'Fwd: Re: Plan', 4, 'References: <a@x.example> <b@x.example>\r\n'));
    await client.command('SELECT Threads');
    expect(await client.command('SORT (SUBJECT) UTF-8 ALL', 't1')).toBe('* SORT 3 1 2 4\r\nt1 OK SORT completed\r\n');
    expect(await client.command('SORT (REVERSE DATE) UTF-8 ALL', 't2')).toBe('* SORT 4 3 2 1\r\nt2 OK SORT completed\r\n');
    expect(await client.command('UID SORT (FROM) US-ASCII NOT FROM bob', 't3')).toBe('* SORT 2 4 1\r\nt3 OK UID SORT completed\r\n');
    expect(await client.command('THREAD REFERENCES UTF-8 ALL', 't4')).toBe('* THREAD (1 2 4)(3)\r\nt4 OK THREAD completed\r\n');
    expect(await client.command('THREAD ORDEREDSUBJECT UTF-8 ALL', 't5')).toBe('* THREAD (1 (2)(4))(3)\r\nt5 OK THREAD completed\r\n');
    expect(await client.command('THREAD NONSENSE UTF-8 ALL', 't6')).toBe('t6 BAD Unknown threading algorithm NONSENSE\r\n');
  });

  it("keeps another user's mailboxes unreachable by any name", async () => {
    const bob = await loggedIn('bob@wire.example');
    await bob.command('CREATE Private');
    await appendText(bob, 'Private', 'Subject: bob only\r\n\r\nsecret\r\n');
    const ann = await loggedIn();
    for (const name of [
      'Private',
      '"../bob@wire.example/Private"',
      '"~bob@wire.example/Private"',
      '"#shared/Private"',
      '"Other Users/bob@wire.example/Private"',
      '"/Private"',
    ]) {
      expect(await ann.command(`SELECT ${name}`)).toMatch(/NO \[NONEXISTENT\]/);
      expect(await ann.command(`STATUS ${name} (MESSAGES)`)).toMatch(/NO \[NONEXISTENT\]/);
    }
    expect(await ann.command('LIST "" "*"')).not.toContain('Private');
    expect(await ann.command('LIST "~bob@wire.example/" "*"')).not.toContain('Private');
  });
});
