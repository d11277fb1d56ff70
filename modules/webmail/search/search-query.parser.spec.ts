import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_QUERY_LENGTH, MAX_SEARCH_TERM_LENGTH, MAX_SEARCH_TERMS, parseSearchQuery, tokenize } from './search-query.parser.js';

describe('search query parser', () => {
  it('splits on whitespace outside quotes', () => {
    expect(tokenize('from:alice  subject:"quarterly report" "two words"')).toEqual(['from:alice', 'subject:quarterly report', 'two words']);
  });

  it('parses every term kind', () => {
    const parsed = parseSearchQuery(
      'from:alice to:bob cc:carol subject:"q1 report" has:attachment is:unread is:flagged before:2026-02-01 after:2026-01-01 invoice -spam',
    );
    expect(parsed).toEqual({
      ok: true,
      terms: [
        { kind: 'text', field: 'from', value: 'alice', negated: false },
        { kind: 'text', field: 'to', value: 'bob', negated: false },
        { kind: 'text', field: 'cc', value: 'carol', negated: false },
        { kind: 'text', field: 'subject', value: 'q1 report', negated: false },
        { kind: 'attachment', negated: false },
        { kind: 'flag', flag: 'seen', value: false, negated: false },
        { kind: 'flag', flag: 'flagged', value: true, negated: false },
        { kind: 'date', op: 'before', ms: Date.UTC(2026, 1, 1), negated: false },
        { kind: 'date', op: 'after', ms: Date.UTC(2026, 0, 1), negated: false },
        { kind: 'text', field: 'any', value: 'invoice', negated: false },
        { kind: 'text', field: 'any', value: 'spam', negated: true },
      ],
    });
  });

  it('treats unknown prefixes as free text and keys case-insensitively', () => {
    expect(parseSearchQuery('http://x.example FROM:Al')).toEqual({
      ok: true,
      terms: [
        { kind: 'text', field: 'any', value: 'http://x.example', negated: false },
        { kind: 'text', field: 'from', value: 'Al', negated: false },
      ],
    });
  });

  it('refuses malformed dates, unknown is:/has: and empty values', () => {
    expect(parseSearchQuery('before:2026-02-30').ok).toBe(false);
    expect(parseSearchQuery('after:yesterday').ok).toBe(false);
    expect(parseSearchQuery('is:purple').ok).toBe(false);
    expect(parseSearchQuery('has:nothing').ok).toBe(false);
    expect(parseSearchQuery('from:').ok).toBe(false);
    expect(parseSearchQuery(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')).ok).toBe(false);
  });

  it('gives no terms for an empty query', () => {
    expect(parseSearchQuery('   ')).toEqual({ ok: true, terms: [] });
  });

  describe('hostile input', () => {
    it('refuses a query longer than the limit before scanning it', () => {
      for (const hostile of ['"'.repeat(100_000), '('.repeat(100_000), ':'.repeat(100_000), 'from:'.repeat(20_000)]) {
        expect(parseSearchQuery(hostile)).toEqual({ ok: false, error: `a search query has at most ${MAX_SEARCH_QUERY_LENGTH} characters` });
      }
    });

    it('tokenizes 10^5 quotes, parentheses and colons in one linear pass', () => {
      const started = performance.now();
      expect(tokenize('"'.repeat(100_000))).toEqual(['']);
      expect(tokenize('" '.repeat(50_000))).toEqual(new Array<string>(25_000).fill(' '));
      expect(tokenize('('.repeat(100_000))).toEqual(['('.repeat(100_000)]);
      expect(tokenize(': '.repeat(50_000))).toHaveLength(50_000);
      // Quadratic work on these inputs would take seconds; linear takes milliseconds.
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('bounds the length of one term and the number of terms', () => {
      expect(parseSearchQuery(`subject:${'x'.repeat(MAX_SEARCH_TERM_LENGTH)}`).ok).toBe(true);
      expect(parseSearchQuery(`subject:${'x'.repeat(MAX_SEARCH_TERM_LENGTH + 1)}`)).toEqual({
        ok: false,
        error: `a search term has at most ${MAX_SEARCH_TERM_LENGTH} characters`,
      });
      expect(parseSearchQuery(`"${'y '.repeat(150)}"`)).toEqual({
        ok: false,
        error: `a search term has at most ${MAX_SEARCH_TERM_LENGTH} characters`,
      });
      expect(parseSearchQuery(Array.from({ length: MAX_SEARCH_TERMS }, () => 'a').join(' ')).ok).toBe(true);
      expect(parseSearchQuery(Array.from({ length: MAX_SEARCH_TERMS + 1 }, () => 'a').join(' '))).toEqual({
        ok: false,
        error: `at most ${MAX_SEARCH_TERMS} search terms`,
      });
    });

    it('keeps wildcards, quotes and parentheses within the limits as literal text', () => {
      expect(parseSearchQuery('%_% -from:"a%b" ((( :::')).toEqual({
        ok: true,
        terms: [
          { kind: 'text', field: 'any', value: '%_%', negated: false },
          { kind: 'text', field: 'from', value: 'a%b', negated: true },
          { kind: 'text', field: 'any', value: '(((', negated: false },
          { kind: 'text', field: 'any', value: ':::', negated: false },
        ],
      });
      expect(parseSearchQuery('"'.repeat(MAX_SEARCH_QUERY_LENGTH))).toEqual({ ok: true, terms: [] });
    });
  });
});
