import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeCorpus, type CorpusMessage } from '../fixtures/mime-corpus/mime-corpus.js';
import { DovecotServer } from '../support/dovecot-server.js';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer, WireClient } from './imap-wire.js';
import { fetchItems, isList, readValues, show, stringOf, type ImapValue } from './imap-response-values.js';

/**
 * The differential test against Dovecot 2.3 (Debian's dovecot-imapd): the same corpus is APPENDed to both servers,
 * then FETCH and SEARCH answers are compared message by message and query by query.
 *
 * Normalisation before comparing (nothing else is ignored):
 * - a value sent as a quoted string or as a literal is the same string (RFC 3501 §4.3);
 * - in BODY and BODYSTRUCTURE, media type, subtype, parameter names, the charset value, the transfer encoding and
 *   the disposition type are compared without ASCII case: RFC 2045 §5.1 and §6.1, RFC 2046 §4.1.2 and RFC 2183 §2
 *   make them case-insensitive, and Dovecot sends them lower case as written while Mailhive sends them upper case;
 * - a tagged reply is compared by its status and response code, not its human-readable text.
 * Every remaining difference must be in ACCEPTED with the RFC reason why Mailhive is right.
 */

const USER = 'diff@example.com';
const PASSWORD = 'secret123';

/** Accepted differences, `message: item` → why Dovecot's answer is wrong and Mailhive's right. */
const ACCEPTED: Record<string, string> = {
  'folded-headers: ENVELOPE':
    'RFC 5322 §2.2.3: unfolding removes each CRLF that is followed by WSP and keeps the WSP; the folded Subject has a TAB ' +
    'there, which Mailhive keeps and Dovecot turns into a space.',
  'bad-base64: BINARY.SIZE[1]':
    'RFC 2045 §6.8: characters outside the base64 alphabet "are to be ignored"; the part decodes to 11 octets (RFC 3516 ' +
    '§4.2 BINARY.SIZE is the decoded size), while Dovecot refuses it with NO [PARSE].',
  'bad-base64: BINARY.SIZE[2]': 'As for part 1 (RFC 2045 §6.8): 15 decoded octets, Dovecot refuses.',
  'message-rfc822-base64: BINARY.SIZE[1]':
    'RFC 3516 §4.2: BINARY[1] is the part with its content transfer encoding removed, 49 octets of decoded base64; ' + 'Dovecot answers 0.',
  'message-rfc822-base64: BODY[1.1.MIME]':
    'The encapsulated "header" is the encoded text and runs to the end of the part, line break included: Dovecot counts ' +
    'that line break in the part (size 70 on both servers) but leaves it out of the header; Mailhive returns the ' +
    "header bytes whose sum with the (empty) body is the size it reports (RFC 3501 §6.4.5 MIME is the part's header).",
};

/** SEARCH queries: strings are sent as they are, buffers (non-ASCII search strings) as literals. */
const QUERIES: (string | Buffer)[][] = [
  ['BODY basilisk'],
  ['BODY softbreakword'],
  ['BODY wyvern'],
  ['BODY Notizen'],
  ['BODY "HTML version"'],
  ['BODY "Lost text"'],
  ['BODY hidden'],
  ['BODY Innermost'],
  ['TEXT narwhal'],
  ['TEXT "Plain version"'],
  ['TEXT Innermost'],
  ['SUBJECT zebra'],
  ['SUBJECT original'],
  ['SUBJECT folded'],
  ['FROM secondsender'],
  ['FROM first'],
  ['TO carol'],
  ['CC dave'],
  ['BCC eve'],
  ['OR SUBJECT zebra FROM nobody-here'],
  ['OR SUBJECT nothing-here FROM secondsender'],
  ['HEADER X-Mailhive-Probe narwhal'],
  ['HEADER X-Tag two'],
  ['HEADER X-Empty ""'],
  ['HEADER Subject ""'],
  ['NOT BODY basilisk'],
  ['UID SEARCH BODY basilisk'],
  ['UID SEARCH OR FROM secondsender BODY softbreakword'],
  ['TEXT wyvern'],
  ['BODY trailer'],
  ['BODY Reporting-MTA'],
  ['BODY notes.txt'],
  ['TEXT notes.txt'],
  ['BODY "Subject: innermost"'],
  ['SUBJECT innermost'],
  ['BODY VCALENDAR'],
  ['TO undisclosed-recipients'],
  ['HEADER Content-Type multipart/digest'],
  ['LARGER 1000'],
  ['SMALLER 300'],
  ['TEXT Alice'],
  ['BODY Alice'],
  ['CC Friends'],
  ['BODY "signed text"'],
  ['BODY "PGP SIGNATURE"'],
  ['BODY uuencode'],
  ['BODY custom'],
  ['BODY "html lf"'],
  ['TEXT "Line two"'],
  ['CHARSET UTF-8 BODY', Buffer.from('中文')],
  ['CHARSET UTF-8 BODY', Buffer.from('你好')],
  ['CHARSET UTF-8 BODY', Buffer.from('欧元')],
  ['CHARSET UTF-8 SUBJECT', Buffer.from('日本語')],
  ['CHARSET UTF-8 BODY', Buffer.from('café')],
  ['CHARSET UTF-8 TEXT', Buffer.from('Grüße')],
  ['CHARSET UTF-8 FROM', Buffer.from('André')],
  ['CHARSET UTF-8 SUBJECT', Buffer.from('中文')],
  ['CHARSET UTF-8 BODY', Buffer.from('Málaga')],
];

interface Difference {
  key: string;
  dovecot: string;
  mailhive: string;
}

interface Answer {
  /** Canonical text of each item value, by item name as requested. */
  items: Map<string, string>;
  /** `OK`, or `NO [CODE]` / `BAD` when the server refused. */
  status: string;
}

async function login(port: number): Promise<WireClient> {
  const client = await WireClient.open(port);
  const reply = await client.command(`LOGIN ${USER} ${PASSWORD}`);
  if (!/ OK /.test(reply)) throw new Error(`login failed: ${reply}`);
  return client;
}

async function append(client: WireClient, message: CorpusMessage): Promise<void> {
  const tag = client.nextTag();
  client.write(Buffer.concat([Buffer.from(`${tag} APPEND INBOX {${message.raw.length}+}\r\n`), message.raw, Buffer.from('\r\n')]));
  const reply = await client.untilTagged(tag);
  if (!reply.includes(`${tag} OK`)) throw new Error(`APPEND of ${message.name} failed: ${reply}`);
}

/** Sends a command whose buffer pieces go as LITERAL+ literals; returns the whole reply text. */
async function send(client: WireClient, pieces: (string | Buffer)[]): Promise<{ text: string; tag: string }> {
  const tag = client.nextTag();
  const chunks: Buffer[] = [Buffer.from(`${tag} `)];
  pieces.forEach((piece, i) => {
    if (i > 0) chunks.push(Buffer.from(' '));
    chunks.push(typeof piece === 'string' ? Buffer.from(piece) : Buffer.concat([Buffer.from(`{${piece.length}+}\r\n`), piece]));
  });
  chunks.push(Buffer.from('\r\n'));
  client.write(Buffer.concat(chunks));
  return { text: await client.untilTagged(tag), tag };
}

/** The tagged reply's status and response code. */
function statusOf(text: string, tag: string): string {
  const at = text.lastIndexOf(`${tag} `);
  const match = /^(OK|NO|BAD)(?: \[([^\] ]+))?/.exec(text.slice(at + tag.length + 1));
  if (!match) return 'none';
  return match[1] === 'OK' ? 'OK' : `${match[1]}${match[2] ? ` [${match[2]}]` : ''}`;
}

async function fetch(client: WireClient, seq: number, items: string[]): Promise<Answer> {
  const { text, tag } = await send(client, [`FETCH ${seq} (${items.join(' ')})`]);
  const status = statusOf(text, tag);
  const untagged = text.slice(0, text.lastIndexOf(`${tag} `));
  const values = readValues(untagged);
  const answer = new Map<string, string>();
  for (let i = 0; i + 1 < values.length; i++) {
    const word = values[i];
    if (!word || Array.isArray(word) || !('atom' in word) || word.atom.toUpperCase() !== 'FETCH') continue;
    const list = values[i + 1];
    if (!isList(list)) continue;
    for (const [name, value] of fetchItems(list)) {
      if (name === 'UID' || name === 'FLAGS') continue;
      answer.set(name, name === 'BODY' || name === 'BODYSTRUCTURE' ? show(normaliseBody(value)) : show(value));
    }
  }
  return { items: answer, status };
}

async function search(client: WireClient, query: (string | Buffer)[]): Promise<string> {
  const command = query[0] as string;
  const pieces = command.startsWith('UID ') ? query : [`SEARCH ${command}`, ...query.slice(1)];
  const { text, tag } = await send(client, pieces);
  const status = statusOf(text, tag);
  const line = /^\* SEARCH([^\r\n]*)/m.exec(text);
  const numbers = (line?.[1] ?? '')
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
    .sort((a, b) => a - b);
  return `${status} ${numbers.join(' ')}`.trim();
}

function fold(value: ImapValue): ImapValue {
  const text = stringOf(value);
  return text === null ? value : { string: text.toLowerCase() };
}

/** body-fld-param with names folded, and the value of charset (RFC 2046 §4.1.2: case-insensitive). */
function foldParams(value: ImapValue): ImapValue {
  if (!isList(value)) return value;
  const out: ImapValue[] = [];
  for (let i = 0; i < value.length; i += 2) {
    const name = fold(value[i] ?? null);
    out.push(name, stringOf(name) === 'charset' ? fold(value[i + 1] ?? null) : (value[i + 1] ?? null));
  }
  return out;
}

function foldDisposition(value: ImapValue): ImapValue {
  if (!isList(value)) return value;
  return [fold(value[0] ?? null), foldParams(value[1] ?? null)];
}

/** BODY / BODYSTRUCTURE with the case-insensitive fields (see the header comment) folded to lower case. */
function normaliseBody(value: ImapValue): ImapValue {
  if (!isList(value)) return value;
  if (isList(value[0] ?? null)) {
    let i = 0;
    const out: ImapValue[] = [];
    while (i < value.length && isList(value[i] ?? null)) out.push(normaliseBody(value[i++] ?? null));
    out.push(fold(value[i++] ?? null));
    if (i < value.length) out.push(foldParams(value[i++] ?? null));
    if (i < value.length) out.push(foldDisposition(value[i++] ?? null));
    while (i < value.length) out.push(value[i++] ?? null);
    return out;
  }
  const out: ImapValue[] = [
    fold(value[0] ?? null),
    fold(value[1] ?? null),
    foldParams(value[2] ?? null),
    value[3] ?? null,
    value[4] ?? null,
    fold(value[5] ?? null),
    value[6] ?? null,
  ];
  let i = 7;
  const type = stringOf(value[0] ?? null)?.toLowerCase();
  const subtype = stringOf(value[1] ?? null)?.toLowerCase();
  if (type === 'message' && subtype === 'rfc822' && isList(value[8] ?? null)) {
    out.push(value[7] ?? null, normaliseBody(value[8] ?? null), value[9] ?? null);
    i = 10;
  } else if (type === 'text') {
    out.push(value[7] ?? null);
    i = 8;
  }
  if (i < value.length) out.push(value[i++] ?? null);
  if (i < value.length) out.push(foldDisposition(value[i++] ?? null));
  while (i < value.length) out.push(value[i++] ?? null);
  return out;
}

/** Part numbers of every part in a BODYSTRUCTURE (RFC 3501 §6.4.5), with whether each is a leaf. */
function partPaths(value: ImapValue, prefix: string, out: { path: string; leaf: boolean }[]): void {
  if (!isList(value)) return;
  if (isList(value[0] ?? null)) {
    let i = 0;
    while (i < value.length && isList(value[i] ?? null)) {
      const path = prefix === '' ? `${i + 1}` : `${prefix}.${i + 1}`;
      const child = value[i]!;
      const multipart = isList(child) && isList(child[0] ?? null);
      out.push({ path, leaf: !multipart });
      partPaths(child, path, out);
      i++;
    }
    return;
  }
  if (prefix === '') out.push({ path: '1', leaf: true });
  const type = stringOf(value[0] ?? null)?.toLowerCase();
  const subtype = stringOf(value[1] ?? null)?.toLowerCase();
  if (type === 'message' && subtype === 'rfc822' && isList(value[8] ?? null)) {
    const inner = value[8]!;
    const base = prefix === '' ? '1' : prefix;
    if (isList(inner) && isList(inner[0] ?? null)) partPaths(inner, base, out);
    else out.push({ path: `${base}.1`, leaf: true });
  }
}

/** Reads the raw BODYSTRUCTURE list back (before normalisation) to find the parts. */
async function structureOf(client: WireClient, seq: number): Promise<ImapValue> {
  const { text, tag } = await send(client, [`FETCH ${seq} (BODYSTRUCTURE)`]);
  const values = readValues(text.slice(0, text.lastIndexOf(`${tag} `)));
  const at = values.findIndex((v) => !!v && !Array.isArray(v) && 'atom' in v && v.atom === 'FETCH');
  const list = values[at + 1];
  return isList(list ?? null) ? (fetchItems(list as ImapValue[]).get('BODYSTRUCTURE') ?? null) : null;
}

describe('IMAP answers compared with Dovecot 2.3', () => {
  const corpus = mimeCorpus();
  let dovecot: DovecotServer;
  let mailhive: MailhiveProcess;
  let reference: WireClient;
  let ours: WireClient;

  beforeAll(async () => {
    if (!DovecotServer.available()) throw new Error('Dovecot is not installed: apt-get install -y dovecot-imapd (.ci/run does)');
    dovecot = DovecotServer.create({ [USER]: PASSWORD });
    await dovecot.start();
    mailhive = await startImapServer([USER]);
    reference = await login(dovecot.port);
    ours = await login(mailhive.ports.imap);
    for (const message of corpus) {
      await append(reference, message);
      await append(ours, message);
    }
    for (const client of [reference, ours]) {
      const reply = await client.command('SELECT INBOX');
      if (!reply.includes(`* ${corpus.length} EXISTS`)) throw new Error(`SELECT INBOX: ${reply}`);
    }
  }, 120_000);

  afterAll(async () => {
    reference?.close();
    ours?.close();
    await mailhive?.destroy();
    await dovecot?.destroy();
  });

  it('has a corpus of at least 60 messages with distinct names', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((message) => message.name)).size).toBe(corpus.length);
  });

  it('answers FETCH and SEARCH as Dovecot does, apart from the accepted differences', async () => {
    const differences: Difference[] = [];
    const compare = (key: string, dovecotAnswer: string, mailhiveAnswer: string): void => {
      if (dovecotAnswer !== mailhiveAnswer) differences.push({ key, dovecot: dovecotAnswer, mailhive: mailhiveAnswer });
    };
    const differingMessages = new Set<string>();

    for (const [index, message] of corpus.entries()) {
      const seq = index + 1;
      const before = differences.length;
      const whole = ['BODYSTRUCTURE', 'BODY', 'ENVELOPE', 'RFC822.SIZE'];
      for (const item of whole) {
        const [d, m] = [await fetch(reference, seq, [item]), await fetch(ours, seq, [item])];
        compare(`${message.name}: ${item}`, `${d.status} ${d.items.get(item) ?? '-'}`, `${m.status} ${m.items.get(item) ?? '-'}`);
      }
      const paths: { path: string; leaf: boolean }[] = [];
      partPaths(await structureOf(reference, seq), '', paths);
      for (const { path, leaf } of paths) {
        const items = [`BODY.PEEK[${path}.MIME]`, ...(leaf ? [`BINARY.SIZE[${path}]`] : [])];
        for (const item of items) {
          const name = item.replace('.PEEK', '');
          const [d, m] = [await fetch(reference, seq, [item]), await fetch(ours, seq, [item])];
          compare(`${message.name}: ${name}`, `${d.status} ${d.items.get(name) ?? '-'}`, `${m.status} ${m.items.get(name) ?? '-'}`);
        }
      }
      if (differences.length > before) differingMessages.add(message.name);
    }
    let differingQueries = 0;
    for (const query of QUERIES) {
      const label = query.map((piece) => (typeof piece === 'string' ? piece : piece.toString('utf8'))).join(' ');
      const before = differences.length;
      compare(`SEARCH ${label}`, await search(reference, query), await search(ours, query));
      if (differences.length > before) differingQueries++;
    }

    const unexplained = differences.filter((difference) => !(difference.key in ACCEPTED));
    const unused = Object.keys(ACCEPTED).filter((key) => !differences.some((difference) => difference.key === key));
    // The count the issue asks for: how many messages and queries answer differently.
    console.log(
      `dovecot differential: ${differences.length} differences (${unexplained.length} unexplained) in ${differingMessages.size} of ${corpus.length} messages and ${differingQueries} of ${QUERIES.length} searches`,
    );
    for (const difference of unexplained)
      console.log(`${difference.key}\n  dovecot:  ${difference.dovecot}\n  mailhive: ${difference.mailhive}`);
    expect(unexplained).toEqual([]);
    expect(unused).toEqual([]);
  }, 300_000);
});
