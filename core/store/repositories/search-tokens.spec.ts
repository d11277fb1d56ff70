import { describe, expect, it } from 'vitest';
import { INCOMPLETE_TOKEN, MAX_TOKENS_PER_MESSAGE, messageTokens, prefixEnd, valueKeys } from './search-tokens.js';

/** Whether the index would offer the message for the value: every key begins one of its tokens. */
function candidate(text: string, value: string): boolean {
  const tokens = messageTokens(text);
  if (tokens.includes(INCOMPLETE_TOKEN)) return true;
  return valueKeys(value).every((key) => tokens.some((token) => token >= key && token < prefixEnd(key)));
}

describe('search tokens', () => {
  it('cuts word runs into suffixes of at most 16 characters and ideograph runs into bigrams', () => {
    expect(messageTokens('Report')).toEqual(['report', 'eport', 'port', 'ort', 'rt']);
    expect(messageTokens('我们明天在北京开会')).toEqual(['我们', '们明', '明天', '天在', '在北', '北京', '京开', '开会', '会']);
    expect(messageTokens('x'.repeat(20))).toEqual(['x'.repeat(16), ...Array.from({ length: 14 }, (_, i) => 'x'.repeat(15 - i))]);
  });

  it('separates ideographs from letters of other scripts and folds case and marks', () => {
    expect(messageTokens('Café北京ÀB')).toEqual(['cafe', 'afe', 'fe', '北京', '京', 'ab']);
    expect(valueKeys('CAFÉ')).toEqual(['cafe']);
  });

  it('offers every message containing the value, wherever in a word it occurs', () => {
    const text = 'Subject: Quarterly-report\n\nWe meet at the Zürich office 我们明天在北京开会 ΟΔΟΣ';
    for (const value of ['quart', 'arterly', 'rly-rep', 'REPORT', 'zurich', 'ürich offi', '北京', '开会', '会', '京开', 'οδοσ', 'e at th'])
      expect(candidate(text, value), value).toBe(true);
    for (const value of ['quartz', '北海', 'offices', 'meeting']) expect(candidate(text, value), value).toBe(false);
  });

  it('has no key for values the index cannot narrow', () => {
    expect(valueKeys('a')).toEqual([]);
    expect(valueKeys('@ -')).toEqual([]);
    expect(valueKeys('a-b')).toEqual([]);
  });

  it('bounds the tokens of a message and marks it incomplete', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}z`).join(' ');
    const tokens = messageTokens(text);
    expect(tokens.length).toBe(MAX_TOKENS_PER_MESSAGE + 1);
    expect(tokens).toContain(INCOMPLETE_TOKEN);
  });
});
