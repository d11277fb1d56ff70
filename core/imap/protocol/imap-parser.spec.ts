import { describe, expect, it } from 'vitest';
import { MAX_FETCH_ATTRIBUTES, parseFetchAttributes } from './fetch-attributes.js';
import { encodeModifiedUtf7, decodeModifiedUtf7 } from './modified-utf7.js';
import { parseCommand } from './imap-parser.js';
import type { ImapValue } from './imap-values.js';
import { encodeValues, atom, literal } from './imap-writer.js';
import { parseSequenceSet, resolveSequenceNumbers, resolveSequenceSet, formatSequenceSet } from './sequence-set.js';
import { parseSearch } from './search-query.js';

const wire = (text: string) => Buffer.from(text, 'latin1');
const a = (value: string): ImapValue => ({ kind: 'atom', value });
const q = (value: string): ImapValue => ({ kind: 'string', value: Buffer.from(value, 'latin1'), literal: false });
const l = (value: string): ImapValue => ({ kind: 'string', value: Buffer.from(value, 'latin1'), literal: true });

function parsed(text: string) {
  const result = parseCommand(wire(text));
  if (!result.ok) throw new Error(result.text);
  return result.command;
}

describe('parseCommand on raw wire bytes', () => {
  it('reads atoms and a parenthesised list', () => {
    expect(parsed('A042 STATUS blurdybloop (UIDNEXT MESSAGES)\r\n')).toEqual({
      tag: 'A042',
      verb: 'STATUS',
      args: [a('blurdybloop'), { kind: 'list', items: [a('UIDNEXT'), a('MESSAGES')] }],
    });
  });

  it('upper-cases the verb and joins UID with its command', () => {
    expect(parsed('a1 uid fetch 1:* (FLAGS)\r\n')).toMatchObject({ tag: 'a1', verb: 'UID FETCH', args: [a('1:*'), { kind: 'list' }] });
  });

  it('unescapes quoted strings', () => {
    expect(parsed('A1 LOGIN "a\\"b" "c\\\\d"\r\n').args).toEqual([q('a"b'), q('c\\d')]);
  });

  it('refuses other escapes and unterminated quotes', () => {
    expect(parseCommand(wire('A1 LOGIN "a\\nb" x\r\n'))).toMatchObject({ ok: false, tag: 'A1' });
    expect(parseCommand(wire('A1 LOGIN "abc\r\n'))).toMatchObject({ ok: false, tag: 'A1', text: 'Unterminated quoted string' });
  });

  it('reads synchronising, non-synchronising and binary literals inline', () => {
    expect(parsed('A1 LOGIN {3}\r\nabc {4+}\r\nd\r\nf\r\n').args).toEqual([l('abc'), l('d\r\nf')]);
    const binary = parsed('A1 APPEND INBOX ~{3}\r\na\0b\r\n').args[1];
    expect(binary).toMatchObject({ kind: 'string', literal: true, binary: true });
  });

  it('refuses a literal shorter than announced and NUL in a plain literal', () => {
    expect(parseCommand(wire('A1 LOGIN {10}\r\nabc\r\n'))).toMatchObject({ ok: false, text: 'Literal shorter than announced' });
    expect(parseCommand(wire('A1 LOGIN {3}\r\na\0b x\r\n'))).toMatchObject({ ok: false });
  });

  it('reads nested lists and empty lists', () => {
    expect(parsed('A1 X (a (b (c)) ())\r\n').args).toEqual([
      { kind: 'list', items: [a('a'), { kind: 'list', items: [a('b'), { kind: 'list', items: [a('c')] }] }, { kind: 'list', items: [] }] },
    ]);
  });

  it('reports unbalanced parentheses', () => {
    expect(parseCommand(wire('A1 FETCH 1 (FLAGS\r\n'))).toMatchObject({
      ok: false,
      tag: 'A1',
      text: 'Unbalanced parentheses: missing ")"',
    });
    expect(parseCommand(wire('A1 FETCH 1 FLAGS)\r\n'))).toMatchObject({ ok: false, tag: 'A1' });
  });

  it('keeps a section with spaces and parentheses inside one atom', () => {
    expect(parsed('A1 FETCH 1 (BODY.PEEK[HEADER.FIELDS (From To)]<0.100> UID)\r\n').args[1]).toEqual({
      kind: 'list',
      items: [a('BODY.PEEK[HEADER.FIELDS (From To)]<0.100>'), a('UID')],
    });
  });

  it('refuses a missing tag', () => {
    expect(parseCommand(wire('\r\n'))).toMatchObject({ ok: false, tag: null });
    expect(parseCommand(wire('NOOP\r\n'))).toMatchObject({ ok: false, tag: null });
  });

  it('accepts a bare LF line end', () => {
    expect(parsed('A1 NOOP\n')).toEqual({ tag: 'A1', verb: 'NOOP', args: [] });
  });
});

describe('sequence sets', () => {
  it('parses ranges, "*" and "$"', () => {
    expect(parseSequenceSet('1:*,3,5:7')).toEqual({
      kind: 'ranges',
      ranges: [
        { from: 1, to: null },
        { from: 3, to: 3 },
        { from: 5, to: 7 },
      ],
    });
    expect(parseSequenceSet('$')).toEqual({ kind: 'saved' });
  });

  it('refuses zero, empty members and garbage', () => {
    for (const bad of ['0', '1,,2', '1:2:3', 'a', '', '-1', '1:0', '99999999999']) expect(parseSequenceSet(bad)).toBeNull();
  });

  it('resolves against existing numbers, ranges in either order', () => {
    const set = parseSequenceSet('4:2,9:*') as { kind: 'ranges'; ranges: [] };
    expect(resolveSequenceSet(set.ranges, [1, 2, 3, 5, 8, 10, 12])).toEqual([2, 3, 10, 12]);
    expect(formatSequenceSet([7, 1, 2, 3, 9, 10])).toBe('1:3,7,9:10');
  });

  it('resolves sequence numbers like the list 1..n, without building it', () => {
    for (const text of ['1:*', '4:2,9:*', '*', '*:3', '2,2,1:3', '5:7,1,6:9', '3:3']) {
      const set = parseSequenceSet(text) as { kind: 'ranges'; ranges: [] };
      for (const count of [1, 4, 10]) {
        expect(resolveSequenceNumbers(set.ranges, count)).toEqual(
          resolveSequenceSet(
            set.ranges,
            Array.from({ length: count }, (_, i) => i + 1),
          ),
        );
      }
    }
    expect(resolveSequenceNumbers([{ from: 1, to: null }], 0)).toEqual([]);
  });
});

describe('fetch attributes', () => {
  it('expands macros and parses sections with partials', () => {
    expect(parseFetchAttributes(a('FAST'))).toHaveLength(3);
    const items = parseFetchAttributes({
      kind: 'list',
      items: [a('BODY.PEEK[1.2.HEADER.FIELDS (From To)]<10.20>'), a('BINARY[2]'), a('BODY[]')],
    });
    expect(items).toEqual([
      {
        kind: 'BODY',
        peek: true,
        section: { parts: [1, 2], specifier: 'HEADER.FIELDS', fields: ['From', 'To'] },
        label: '1.2.HEADER.FIELDS (FROM TO)',
        partial: { start: 10, length: 20 },
      },
      { kind: 'BINARY', peek: false, section: { parts: [2], specifier: '' }, label: '2', partial: null },
      { kind: 'BODY', peek: false, section: { parts: [], specifier: '' }, label: '', partial: null },
    ]);
  });

  it('refuses unknown items and bad sections', () => {
    expect(typeof parseFetchAttributes(a('BODY[FOO]'))).toBe('string');
    expect(typeof parseFetchAttributes(a('BINARY[HEADER]'))).toBe('string');
    expect(typeof parseFetchAttributes(a('MIME'))).toBe('string');
    expect(typeof parseFetchAttributes(a('BODY[MIME]'))).toBe('string');
  });
});

describe('search', () => {
  const decode = (bytes: Buffer, charset: string | null) =>
    charset === null || /^(utf-8|us-ascii)$/i.test(charset) ? bytes.toString('utf8') : null;

  it('parses nested OR/NOT, dates and ESEARCH RETURN', () => {
    const args = parsed('A1 SEARCH RETURN (MIN COUNT) OR (SEEN FROM "bob") NOT UID 1:5 SINCE 1-Feb-2024\r\n').args.slice(0);
    expect(parseSearch(args, decode)).toEqual({
      returnOptions: ['MIN', 'COUNT'],
      charset: null,
      key: {
        kind: 'and',
        keys: [
          {
            kind: 'or',
            left: {
              kind: 'and',
              keys: [
                { kind: 'flag', flag: 'seen', set: true },
                { kind: 'text', field: 'from', value: 'bob' },
              ],
            },
            right: { kind: 'not', key: { kind: 'uid', set: { kind: 'ranges', ranges: [{ from: 1, to: 5 }] } } },
          },
          { kind: 'date', which: 'internal', op: 'since', day: Date.UTC(2024, 1, 1) },
        ],
      },
    });
  });

  it('refuses an unknown charset with BADCHARSET and a bad key', () => {
    expect(parseSearch(parsed('A1 SEARCH CHARSET KOI8-X TEXT x\r\n').args, decode)).toMatch(/^\[BADCHARSET/);
    expect(parseSearch(parsed('A1 SEARCH FROBNICATE\r\n').args, decode)).toMatch(/Unknown search key/);
  });
});

describe('writer and mailbox names', () => {
  it('quotes what it can and sends the rest as literals', () => {
    const out = Buffer.concat(
      encodeValues([atom('*'), 'a "b"', Buffer.from('x\r\ny'), null, 7, ['c', literal(Buffer.from('z'))]], { utf8: false }),
    );
    expect(out.toString()).toBe('* "a \\"b\\"" {4}\r\nx\r\ny NIL 7 ("c" {1}\r\nz)');
  });

  it('uses literals for 8-bit text unless UTF-8 was enabled', () => {
    expect(Buffer.concat(encodeValues(['Grüße'], { utf8: false })).toString()).toBe('{7}\r\nGrüße');
    expect(Buffer.concat(encodeValues(['Grüße'], { utf8: true })).toString()).toBe('"Grüße"');
  });

  it('round-trips modified UTF-7 (RFC 3501 §5.1.3 example)', () => {
    expect(encodeModifiedUtf7('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    expect(decodeModifiedUtf7('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toBe('~peter/mail/台北/日本語');
    expect(encodeModifiedUtf7('A&B')).toBe('A&-B');
    expect(decodeModifiedUtf7('&Jjo!')).toBeNull();
  });
});

describe('fetch attribute limits', () => {
  it('refuses more attributes than the limit', () => {
    const list = (count: number) => ({
      kind: 'list' as const,
      items: Array.from({ length: count }, () => ({ kind: 'atom' as const, value: 'BODY.PEEK[]' })),
    });
    expect(parseFetchAttributes(list(MAX_FETCH_ATTRIBUTES))).toHaveLength(MAX_FETCH_ATTRIBUTES);
    expect(parseFetchAttributes(list(MAX_FETCH_ATTRIBUTES + 1))).toBe(`Too many fetch attributes (limit ${MAX_FETCH_ATTRIBUTES})`);
  });
});
