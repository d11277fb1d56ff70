import { describe, expect, it } from 'vitest';
import { parseCommand } from './imap-parser.js';
import { MAX_SEARCH_KEYS, parseSearch } from './search-query.js';

function search(line: string) {
  const parsed = parseCommand(Buffer.from(`A1 SEARCH ${line}\r\n`));
  if (!parsed.ok) throw new Error(parsed.text);
  return parseSearch(parsed.command.args, (bytes) => bytes.toString('utf8'));
}

describe('parseSearch limits', () => {
  it('refuses more search keys than the limit, counted through lists, NOT and OR', () => {
    expect(search(Array(MAX_SEARCH_KEYS).fill('ALL').join(' '))).toMatchObject({ key: { kind: 'and' } });
    expect(
      search(
        Array(MAX_SEARCH_KEYS + 1)
          .fill('ALL')
          .join(' '),
      ),
    ).toBe(`Too many search keys (limit ${MAX_SEARCH_KEYS})`);
    expect(search(`(${Array(MAX_SEARCH_KEYS).fill('SEEN').join(' ')})`)).toBe(`Too many search keys (limit ${MAX_SEARCH_KEYS})`);
    expect(search(`${'OR SEEN '.repeat(20)}SEEN`)).toMatchObject({ key: { kind: 'or' } });
  });

  it('refuses nesting deeper than the limit', () => {
    expect(search(`${'NOT '.repeat(40)}SEEN`)).toBe('Search keys nested too deeply');
  });

  it('reads MODSEQ with and without an entry name and type (RFC 7162 §3.1.5)', () => {
    expect(search('RETURN (ALL) MODSEQ "/flags/\\\\seen" all 1')).toMatchObject({
      returnOptions: ['ALL'],
      key: { kind: 'modseq', modseq: 1 },
    });
    expect(search('MODSEQ "/flags/$Work" priv 620162338')).toMatchObject({ key: { kind: 'modseq', modseq: 620162338 } });
    expect(search('MODSEQ 7 SEEN')).toMatchObject({ key: { kind: 'and', keys: [{ kind: 'modseq', modseq: 7 }, { kind: 'flag' }] } });
    expect(search('MODSEQ "/flags/\\\\seen" everything 1')).toBe('Invalid MODSEQ entry type everything');
    expect(search('MODSEQ "/flags/\\\\seen" all')).toBe('Missing search argument');
  });
});
