import { describe, expect, it } from 'vitest';
import { withoutSuggestion } from './anonymous-suggestions.plugin.js';

describe('suggestions for anonymous callers', () => {
  it('cuts graphql-js suggestions off the message', () => {
    expect(withoutSuggestion('Cannot query field "mee" on type "Query". Did you mean "me"?')).toBe(
      'Cannot query field "mee" on type "Query".',
    );
    expect(withoutSuggestion('Unknown argument "fist" on field "Query.messages". Did you mean "first", "after", or "sort"?')).toBe(
      'Unknown argument "fist" on field "Query.messages".',
    );
    expect(withoutSuggestion('authentication required')).toBe('authentication required');
  });
});
