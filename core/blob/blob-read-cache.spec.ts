import { describe, expect, it } from 'vitest';
import { BlobReadCache } from './blob-read-cache.js';

describe('BlobReadCache', () => {
  it('keeps at most its size in bytes, dropping the least recently used first', () => {
    const cache = new BlobReadCache(100);
    cache.set('a', Buffer.alloc(10));
    cache.set('b', Buffer.alloc(10));
    for (let i = 0; i < 8; i++) cache.set(`x${i}`, Buffer.alloc(10));
    expect(cache.size).toBe(100);
    cache.get('a');
    cache.set('c', Buffer.alloc(10));
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(100);
  });

  it('does not keep a blob larger than an eighth of it, and forgets a deleted one', () => {
    const cache = new BlobReadCache(800);
    cache.set('big', Buffer.alloc(101));
    expect(cache.get('big')).toBeUndefined();
    cache.set('small', Buffer.alloc(100));
    cache.delete('small');
    expect(cache.get('small')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
