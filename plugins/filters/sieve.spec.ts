import { describe, expect, it } from 'vitest';
import { compileSieve, runSieve, type SieveMessage } from './sieve-interpreter.js';
import { parseSieve } from './sieve-parser.js';

const message = (headers: Record<string, string>, extra: Partial<SieveMessage> = {}): SieveMessage => ({
  headers,
  envelope: { from: 'ann@example.net', to: 'kim@example.org' },
  size: 2000,
  body: 'Hello world',
  ...extra,
});

describe('sieve parser', () => {
  it('reads commands, tags, string lists, numbers with units, comments and text: strings', () => {
    const script =
      'require ["fileinto", "reject"]; # comment\r\n/* block\r\ncomment */\r\nif size :over 100K { reject text:\r\nNo thanks.\r\n..dots\r\n.\r\n; }\r\n';
    expect(parseSieve(script)).toEqual([
      { name: 'require', args: [{ kind: 'strings', value: ['fileinto', 'reject'] }], tests: [], block: null, line: 1 },
      {
        name: 'if',
        args: [],
        line: 4,
        tests: [
          {
            name: 'size',
            args: [
              { kind: 'tag', value: 'over' },
              { kind: 'number', value: 102_400 },
            ],
            tests: [],
          },
        ],
        block: [{ name: 'reject', args: [{ kind: 'strings', value: ['No thanks.\r\n.dots\r\n'] }], tests: [], block: null, line: 4 }],
      },
    ]);
  });

  it('names the line of a mistake', () => {
    expect(() => parseSieve('keep;\nfileinto "x"')).toThrow('line 2: expected ";"');
    expect(() => parseSieve('if header :is "a" "b" {\nkeep;\n')).toThrow('expected "}"');
    expect(() => parseSieve('keep; "unterminated')).toThrow('line 1: unterminated string');
    expect(() => compileSieve('fileinto "x";')).toThrow('line 1: "fileinto" needs require "fileinto"');
    expect(() => compileSieve('require "vacation-seconds";')).toThrow('unsupported extension');
    expect(() => compileSieve('redirect "a@b.example";')).toThrow('unknown command "redirect"');
  });
});

describe('sieve interpreter', () => {
  const script = compileSieve(`
    require ["fileinto", "imap4flags", "envelope", "body", "copy", "reject"];
    if header :contains "list-id" "dev.lists.example" { fileinto "Lists/Dev"; addflag "$List"; stop; }
    elsif address :domain :is "from" "boss.example" { addflag ["\\\\Flagged"]; }
    elsif envelope :localpart :matches "from" "noreply*" { discard; }
    elsif anyof (header :matches "subject" "*[SPAM]*", size :over 1M) { fileinto "Junk"; }
    elsif body :contains "unsubscribe" { fileinto :copy "Newsletters"; }
    elsif not exists "date" { reject "no date"; }
  `);

  it('files, flags, discards, rejects and keeps', () => {
    expect(runSieve(script, message({ 'list-id': '<dev.lists.example>', date: 'x' }))).toEqual({
      disposition: 'keep',
      folder: 'Lists/Dev',
      flags: ['$List'],
    });
    expect(runSieve(script, message({ from: 'The Boss <ceo@boss.example>', date: 'x' }))).toEqual({
      disposition: 'keep',
      folder: null,
      flags: ['\\Flagged'],
    });
    expect(
      runSieve(script, message({ date: 'x' }, { envelope: { from: 'noreply-42@shop.example', to: 'kim@example.org' } })),
    ).toMatchObject({ disposition: 'discard' });
    expect(runSieve(script, message({ subject: 'Buy now [SPAM] deal', date: 'x' }))).toMatchObject({ disposition: 'keep', folder: 'Junk' });
    expect(runSieve(script, message({ date: 'x' }, { size: 2 * 1024 * 1024 }))).toMatchObject({ folder: 'Junk' });
    expect(runSieve(script, message({ date: 'x' }, { body: 'click to unsubscribe' }))).toMatchObject({
      disposition: 'keep',
      folder: 'Newsletters',
    });
    expect(runSieve(script, message({}))).toEqual({ disposition: 'reject', folder: null, flags: [], reason: 'no date' });
    expect(runSieve(script, message({ date: 'x' }))).toEqual({ disposition: 'keep', folder: null, flags: [] });
  });
});
