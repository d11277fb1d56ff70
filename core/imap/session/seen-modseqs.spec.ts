import { describe, expect, it } from 'vitest';
import { SeenModseqs } from './seen-modseqs.js';

describe('SeenModseqs', () => {
  it('takes a change as news only above what the client saw of that message', () => {
    const seen = new SeenModseqs(10);
    expect(seen.isNewer(3, 12)).toBe(true);
    seen.note(3, 14);
    expect(seen.isNewer(3, 12)).toBe(false);
    expect(seen.isNewer(3, 14)).toBe(false);
    expect(seen.isNewer(3, 15)).toBe(true);
    // Another message is not held back by it.
    expect(seen.isNewer(4, 12)).toBe(true);
  });

  it('never goes back when an older MODSEQ is noted after a newer one', () => {
    const seen = new SeenModseqs(0);
    seen.note(3, 20);
    seen.note(3, 18);
    expect(seen.isNewer(3, 19)).toBe(false);
  });

  it('treats changes committed before the selection as known, and forgets expunged messages', () => {
    const seen = new SeenModseqs(10);
    expect(seen.isNewer(3, 10)).toBe(false);
    expect(seen.isNewer(3, 9)).toBe(false);
    seen.note(3, 30);
    seen.forget(3);
    expect(seen.isNewer(3, 11)).toBe(true);
  });
});
