import { describe, expect, it } from 'vitest';
import { likeContains } from './like-pattern.js';

describe('LIKE pattern of a search term', () => {
  it('wraps the literal value in one pair of wildcards', () => {
    expect(likeContains('invoice')).toBe('%invoice%');
  });

  it('escapes %, _, the escape character and backslash, so none of them is a wildcard or an escape', () => {
    expect(likeContains('100%_off!\\')).toBe('%100!%!_off!!!\\%');
  });

  it('turns a pathological wildcard chain into a literal', () => {
    const hostile = '%a'.repeat(100);
    expect(likeContains(hostile)).toBe(`%${'!%a'.repeat(100)}%`);
  });
});
