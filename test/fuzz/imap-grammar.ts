import type { FuzzSession } from './fuzz-session.js';
import { FUZZ_ACCOUNT, fuzzMessage } from './fuzz-messages.js';
import type { Prng } from './prng.js';
import { SessionBuilder } from './session-builder.js';

// IMAP4rev2 (RFC 9051) sessions: log in, select, then a run of commands in the shapes clients send them, some mutated.

const MUTATE = 0.25;
const FLAGS = ['\\Seen', '\\Flagged', '\\Deleted', '\\Answered', '\\Draft', '$Forwarded', '$Junk', 'custom', '\\Recent', '\\Bogus'];
const STATUS_ITEMS = ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'RECENT', 'SIZE', 'HIGHESTMODSEQ', 'DELETED', 'APPENDLIMIT'];
const FETCH_ITEMS = [
  'FLAGS',
  'UID',
  'INTERNALDATE',
  'RFC822.SIZE',
  'ENVELOPE',
  'BODYSTRUCTURE',
  'BODY',
  'BODY[]',
  'BODY.PEEK[]',
  'BODY.PEEK[HEADER]',
  'BODY[TEXT]',
  'BODY[1]',
  'BODY[1.MIME]',
  'BODY[2.1]',
  'BODY[HEADER.FIELDS (From Subject)]',
  'BODY[HEADER.FIELDS.NOT (Received)]',
  'BODY[]<0.100>',
  'BODY.PEEK[TEXT]<5.10>',
  'BINARY[1]',
  'BINARY.PEEK[1]<0.50>',
  'BINARY.SIZE[1]',
  'MODSEQ',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
  'PREVIEW',
  'SAVEDATE',
  'EMAILID',
  'THREADID',
];
const MACROS = ['ALL', 'FAST', 'FULL'];
const SEARCH_KEYS = ['ALL', 'SEEN', 'UNSEEN', 'FLAGGED', 'DELETED', 'ANSWERED', 'DRAFT', 'NEW', 'OLD', 'RECENT', 'UNANSWERED'];
const STRING_KEYS = ['FROM', 'TO', 'CC', 'BCC', 'SUBJECT', 'BODY', 'TEXT'];
const DATE_KEYS = ['SINCE', 'BEFORE', 'ON', 'SENTSINCE', 'SENTBEFORE', 'SENTON'];
const NAMES = [
  'INBOX',
  'Archive',
  'Drafts',
  'Sent',
  'Trash',
  'Junk',
  'Fuzz',
  'Fuzz/Sub',
  'Fuzz/Sub/Deep',
  '&AOk-t&AOk-',
  'Grüße',
  '"quoted"',
  'a/b/c/d/e/f/g/h',
  'nonexistent',
];

function quote(text: string): string {
  return `"${text.split('\\').join('\\\\').split('"').join('\\"')}"`;
}

function mailbox(prng: Prng): string {
  if (prng.chance(0.25)) return quote(prng.pick(['a', 'a', 'b']).repeat(prng.range(1, 60)));
  const name = prng.pick(NAMES);
  return prng.chance(0.5) ? quote(name) : name.includes(' ') || name.includes('"') ? quote(name) : name;
}

function pattern(prng: Prng): string {
  // Wildcards between letters, ending in a letter no name has: the shape that makes a backtracking matcher explode.
  if (prng.chance(0.4))
    return quote(
      Array.from({ length: prng.range(4, 20) }, () => prng.pick(['*', '%']) + prng.pick(['a', 'a', 'aa', 'x'])).join('') +
        prng.pick(['b', 'zz', 'x', '']),
    );
  if (prng.chance(0.5)) return quote(prng.pick(['*', '%', 'INBOX', 'Fuzz/*', 'Fuzz/%', '*Sub*', '%/%', 'a*', '*a*b', '']));
  const length = prng.range(1, 24);
  return quote(Array.from({ length }, () => prng.pick(['*', '%', 'a', 'a', 'b', '/', 'x'])).join(''));
}

function sequenceSet(prng: Prng): string {
  const one = (): string => prng.pick(['1', '2', '3', '*', String(prng.range(1, 40)), '4294967295']);
  const count = prng.range(1, 4);
  return Array.from({ length: count }, () => (prng.chance(0.5) ? `${one()}:${one()}` : one())).join(',');
}

function flagList(prng: Prng): string {
  return `(${Array.from({ length: prng.range(0, 3) }, () => prng.pick(FLAGS)).join(' ')})`;
}

function fetchItems(prng: Prng): string {
  if (prng.chance(0.2)) return prng.pick(MACROS);
  const items = Array.from({ length: prng.range(1, 5) }, () => prng.pick(FETCH_ITEMS));
  return items.length === 1 && prng.chance(0.5) ? items[0] : `(${items.join(' ')})`;
}

function searchKey(prng: Prng, depth: number): string {
  const roll = prng.int(depth > 3 ? 4 : 8);
  switch (roll) {
    case 0:
      return prng.pick(SEARCH_KEYS);
    case 1:
      return `${prng.pick(STRING_KEYS)} ${quote(prng.pick(['hello', 'x', '', 'Grüße', 'remote.example', '%', '*']))}`;
    case 2:
      return `${prng.pick(DATE_KEYS)} ${prng.pick(['1-Jan-2020', '31-Dec-2026', '32-Feb-2021', 'yesterday'])}`;
    case 3:
      return prng.pick([
        `LARGER ${prng.int(5000)}`,
        `SMALLER ${prng.int(5000)}`,
        `UID ${sequenceSet(prng)}`,
        sequenceSet(prng),
        `HEADER Subject ${quote('a')}`,
        `KEYWORD ${prng.pick(FLAGS)}`,
        `MODSEQ ${prng.int(100)}`,
      ]);
    case 4:
      return `NOT ${searchKey(prng, depth + 1)}`;
    case 5:
      return `OR ${searchKey(prng, depth + 1)} ${searchKey(prng, depth + 1)}`;
    default:
      return `(${searchKey(prng, depth + 1)} ${searchKey(prng, depth + 1)})`;
  }
}

function searchProgram(prng: Prng): string {
  const prefix = prng.pick(['', '', 'CHARSET UTF-8 ', 'RETURN (MIN MAX COUNT) ', 'RETURN (ALL) ', 'RETURN () ']);
  return prefix + Array.from({ length: prng.range(1, 4) }, () => searchKey(prng, 0)).join(' ');
}

type Command = (session: ImapSessionWriter) => void;

/** Writes the commands of one IMAP session with numbered tags. */
class ImapSessionWriter {
  private tagNumber = 0;

  constructor(readonly b: SessionBuilder) {}

  get prng(): Prng {
    return this.b.prng;
  }

  nextTag(): string {
    return `F${++this.tagNumber}`;
  }

  command(text: string, mutate = MUTATE, startTls = false): void {
    const tag = this.nextTag();
    this.b.line(text, { kind: 'imap-tagged', tag }, { mutate, prefix: `${tag} `, startTls });
  }

  /** APPEND with a synchronizing literal (wait for `+`) or a non-synchronizing one (RFC 7888). */
  append(): void {
    const prng = this.prng;
    const { raw } = fuzzMessage(prng);
    const tag = this.nextTag();
    const head = `${tag} APPEND ${mailbox(prng)}${prng.chance(0.5) ? ` ${flagList(prng)}` : ''}${prng.chance(0.3) ? ' "01-Jan-2024 10:00:00 +0000"' : ''}`;
    if (prng.chance(0.5)) {
      this.b.raw(Buffer.concat([Buffer.from(`${head} {${raw.length}+}\r\n`), raw, Buffer.from('\r\n')]), { kind: 'imap-tagged', tag });
      return;
    }
    this.b.raw(Buffer.from(`${head} {${raw.length}}\r\n`), { kind: 'continuation' });
    this.b.raw(Buffer.concat([raw, Buffer.from('\r\n')]), { kind: 'imap-tagged', tag });
  }

  idle(): void {
    const tag = this.nextTag();
    this.b.raw(Buffer.from(`${tag} IDLE\r\n`), { kind: 'continuation' });
    this.b.raw(Buffer.from(this.prng.chance(0.9) ? 'DONE\r\n' : 'NOT DONE\r\n'), { kind: 'imap-tagged', tag });
  }

  /** Literals a hostile client announces: huge sizes, literals chained without end, a literal never sent. */
  hostileLiteral(): void {
    const prng = this.prng;
    const tag = this.nextTag();
    const verb = prng.pick(['LOGIN', 'APPEND INBOX', 'SELECT', 'SEARCH TEXT', 'CREATE', 'X']);
    switch (prng.int(4)) {
      case 0:
        this.b.raw(
          Buffer.from(
            `${tag} ${verb} {${prng.pick(['4294967296', '99999999999999999999', '2147483648', '-1', '1e9', ''])}${prng.chance(0.5) ? '+' : ''}}\r\n`,
          ),
          { kind: 'imap-tagged', tag },
          'huge-literal',
        );
        break;
      case 1: {
        const size = prng.pick([4096, 65_536]);
        const count = prng.range(2, 40);
        const chunk = Buffer.concat([Buffer.alloc(size, 'a'.charCodeAt(0)), Buffer.from(` {${size}+}\r\n`)]);
        this.b.raw(Buffer.from(`${tag} ${verb} {${size}+}\r\n`), { kind: 'none' }, 'chained-literals');
        for (let i = 0; i < count && !this.b.full; i++) this.b.raw(chunk, { kind: 'none' }, 'chained-literals');
        this.b.raw(Buffer.from('x\r\n'), { kind: 'imap-tagged', tag }, 'chained-literals');
        break;
      }
      case 2:
        this.b.raw(Buffer.from(`${tag} ${verb} {${prng.range(10, 100_000)}}\r\n`), { kind: 'continuation' }, 'literal-not-sent');
        break;
      default:
        this.b.raw(Buffer.from(`${tag} ${verb} {5+}\r\nab`), { kind: 'none' }, 'short-literal');
        this.b.ended = true;
    }
  }
}

const SELECTED: Command[] = [
  (s) => s.command(`FETCH ${sequenceSet(s.prng)} ${fetchItems(s.prng)}`),
  (s) => s.command(`UID FETCH ${sequenceSet(s.prng)} ${fetchItems(s.prng)}${s.prng.chance(0.2) ? ' (CHANGEDSINCE 1 VANISHED)' : ''}`),
  (s) => s.command(`SEARCH ${searchProgram(s.prng)}`),
  (s) => s.command(`UID SEARCH ${searchProgram(s.prng)}`),
  (s) =>
    s.command(
      `${s.prng.pick(['STORE', 'UID STORE'])} ${sequenceSet(s.prng)}${s.prng.chance(0.2) ? ' (UNCHANGEDSINCE 5)' : ''} ${s.prng.pick(['+FLAGS', '-FLAGS', 'FLAGS', '+FLAGS.SILENT'])} ${flagList(s.prng)}`,
    ),
  (s) => s.command(`${s.prng.pick(['COPY', 'MOVE', 'UID COPY', 'UID MOVE'])} ${sequenceSet(s.prng)} ${mailbox(s.prng)}`),
  (s) =>
    s.command(
      `SORT (${s.prng.pick(['DATE', 'REVERSE DATE', 'SUBJECT', 'FROM SIZE', 'ARRIVAL CC TO', 'DISPLAYFROM'])}) UTF-8 ${searchProgram(s.prng)}`,
    ),
  (s) => s.command(`THREAD ${s.prng.pick(['REFERENCES', 'ORDEREDSUBJECT', 'BOGUS'])} UTF-8 ${searchProgram(s.prng)}`),
  (s) => s.command(s.prng.pick(['EXPUNGE', 'CHECK', 'NOOP', 'UNSELECT', 'CLOSE', `UID EXPUNGE ${sequenceSet(s.prng)}`])),
  (s) => s.idle(),
];

const AUTHENTICATED: Command[] = [
  (s) => s.command(`LIST ${s.prng.pick(['""', '"Fuzz"', '"INBOX"'])} ${pattern(s.prng)}`),
  (s) =>
    s.command(
      `LIST (${s.prng.pick(['SUBSCRIBED', 'SPECIAL-USE', 'REMOTE', ''])}) "" ${pattern(s.prng)} RETURN (${s.prng.pick(['CHILDREN', 'SUBSCRIBED', 'STATUS (MESSAGES UNSEEN)', 'SPECIAL-USE'])})`,
    ),
  (s) => s.command(`LSUB "" ${pattern(s.prng)}`),
  (s) => s.command(`STATUS ${mailbox(s.prng)} (${Array.from({ length: s.prng.range(1, 4) }, () => s.prng.pick(STATUS_ITEMS)).join(' ')})`),
  (s) => s.command(`${s.prng.pick(['CREATE', 'DELETE', 'SUBSCRIBE', 'UNSUBSCRIBE'])} ${mailbox(s.prng)}`),
  (s) => s.command(`CREATE ${mailbox(s.prng)}`),
  (s) => s.command(`${s.prng.pick(['LIST', 'LSUB'])} "" ${pattern(s.prng)}`),
  (s) => s.command(`RENAME ${mailbox(s.prng)} ${mailbox(s.prng)}`),
  (s) => s.command(`${s.prng.pick(['SELECT', 'EXAMINE'])} ${mailbox(s.prng)}${s.prng.chance(0.2) ? ' (CONDSTORE)' : ''}`),
  (s) =>
    s.command(
      s.prng.pick([
        'NAMESPACE',
        'CAPABILITY',
        'NOOP',
        'GETQUOTAROOT INBOX',
        'GETQUOTA ""',
        'ENABLE CONDSTORE',
        'ENABLE QRESYNC',
        'ENABLE UTF8=ACCEPT',
        'ID ("name" "fuzz" "version" "1")',
        'ID NIL',
        'CHECK',
      ]),
    ),
  (s) => s.append(),
  (s) => s.hostileLiteral(),
];

const NOT_AUTHENTICATED: Command[] = [
  (s) =>
    s.command(
      s.prng.pick([
        'CAPABILITY',
        'NOOP',
        'ID NIL',
        'LOGOUT',
        'SELECT INBOX',
        'FETCH 1 FLAGS',
        'AUTHENTICATE BOGUS',
        'LOGIN',
        'LOGIN a',
        'ENABLE UTF8=ACCEPT',
        'X',
      ]),
    ),
  (s) => s.command(`LOGIN ${quote(FUZZ_ACCOUNT.user)} ${quote(s.prng.pick(['wrong', '', 'x'.repeat(300)]))}`),
  (s) => s.hostileLiteral(),
  (s) => (s.prng.chance(0.5) ? s.command('STARTTLS', MUTATE, true) : s.command('COMPRESS DEFLATE')),
];

function login(s: ImapSessionWriter): void {
  const { user, password } = FUZZ_ACCOUNT;
  const prng = s.prng;
  const tag = s.nextTag();
  switch (prng.int(4)) {
    case 0:
      s.b.raw(Buffer.from(`${tag} LOGIN {${user.length}+}\r\n${user} {${password.length}+}\r\n${password}\r\n`), {
        kind: 'imap-tagged',
        tag,
      });
      return;
    case 1:
      s.b.raw(Buffer.from(`${tag} AUTHENTICATE PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}\r\n`), {
        kind: 'imap-tagged',
        tag,
      });
      return;
    default:
      s.b.raw(Buffer.from(`${tag} LOGIN ${quote(user)} ${quote(password)}\r\n`), { kind: 'imap-tagged', tag });
  }
}

/** One IMAP session: mostly logged in and selected, sometimes hostile before login. */
export function imapSession(prng: Prng, index: number): FuzzSession {
  const b = new SessionBuilder(prng, index, 'imap', 'imap');
  const s = new ImapSessionWriter(b);
  const count = prng.range(1, 24);
  if (prng.chance(0.15)) {
    for (let i = 0; i < count && !b.full; i++) prng.pick(NOT_AUTHENTICATED)(s);
    return b.build();
  }
  login(s);
  const selected = prng.chance(0.75);
  if (selected) s.command(`${prng.pick(['SELECT', 'SELECT', 'EXAMINE'])} ${prng.pick(['INBOX', 'INBOX', 'Fuzz', 'Archive'])}`, 0.05);
  for (let i = 0; i < count && !b.full; i++) {
    const pool = selected && prng.chance(0.6) ? SELECTED : AUTHENTICATED;
    prng.pick(pool)(s);
  }
  if (prng.chance(0.6)) s.command('LOGOUT', 0.05);
  return b.build();
}
