import { describe, expect, it } from 'vitest';
import { parseSearchQuery, tokenize } from './search-query.parser.js';

describe('search query parser', () => {
  it('splits on whitespace outside quotes', () => {
    expect(tokenize('from:alice  subject:"quarterly report" "two words"')).toEqual(['from:alice', 'subject:quarterly report', 'two words']);
  });

  it('parses every term kind', () => {
    const parsed = parseSearchQuery('from:alice to:bob cc:carol subject:"q1 report" has:attachment is:unread is:flagged before:2026-02-01 after:2026-01-01 invoice -spam');
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
    expect(parseSearchQuery('http://x.example FROM:Al')).toEqual({ ok: true, terms: [
      { kind: 'text', field: 'any', value: 'http://x.example', negated: false },
      { kind: 'text', field: 'from', value: 'Al', negated: false },
    ] });
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
});
