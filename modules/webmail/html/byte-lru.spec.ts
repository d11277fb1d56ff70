import { describe, expect, it } from 'vitest';
import { ByteLru } from './byte-lru.js';

describe('ByteLru', () => {
  it('evicts the least recently used entries once the values pass the byte budget', () => {
    const lru = new ByteLru<string>(10, (value) => value.length);
    lru.set('a', 'aaaa');
    lru.set('b', 'bbbb');
    expect(lru.get('a')).toBe('aaaa');
    lru.set('c', 'cccc');
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('aaaa');
    expect(lru.get('c')).toBe('cccc');
    expect(lru.bytes).toBe(8);
  });

  it('does not keep a value larger than the whole budget, and replaces a key in place', () => {
    const lru = new ByteLru<string>(10, (value) => value.length);
    lru.set('a', 'aaaa');
    lru.set('huge', 'x'.repeat(11));
    expect(lru.get('huge')).toBeUndefined();
    lru.set('a', 'aa');
    expect(lru.bytes).toBe(2);
    expect(lru.size).toBe(1);
  });
});
