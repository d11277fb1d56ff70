import { describe, expect, it } from 'vitest';
import { VerifiedPasswordCache } from './verified-password-cache.js';

describe('VerifiedPasswordCache', () => {
  it('matches the same account, password and stored hash until the entry expires', () => {
    const cache = new VerifiedPasswordCache(1000);
    cache.remember(1, 'secret', 'hash-a', 0);
    expect(cache.matches(1, 'secret', 'hash-a', 999)).toBe(true);
    expect(cache.matches(1, 'Secret', 'hash-a', 10)).toBe(false);
    expect(cache.matches(2, 'secret', 'hash-a', 10)).toBe(false);
    expect(cache.matches(1, 'secret', 'hash-b', 10)).toBe(false);
    // A mismatch on the stored hash dropped the entry.
    expect(cache.matches(1, 'secret', 'hash-a', 10)).toBe(false);
    cache.remember(1, 'secret', 'hash-a', 0);
    expect(cache.matches(1, 'secret', 'hash-a', 1000)).toBe(false);
  });

  it('remembers nothing when turned off', () => {
    const cache = new VerifiedPasswordCache(0);
    cache.remember(1, 'secret', 'hash-a', 0);
    expect(cache.matches(1, 'secret', 'hash-a', 1)).toBe(false);
  });

  it('forgets every entry of one account on request', () => {
    const cache = new VerifiedPasswordCache(1000);
    cache.remember(1, 'secret', 'hash-a', 0);
    cache.remember(1, 'other', 'hash-a', 0);
    cache.remember(2, 'secret', 'hash-b', 0);
    cache.forget(1);
    expect(cache.matches(1, 'secret', 'hash-a', 1)).toBe(false);
    expect(cache.matches(1, 'other', 'hash-a', 1)).toBe(false);
    expect(cache.matches(2, 'secret', 'hash-b', 1)).toBe(true);
  });
});
