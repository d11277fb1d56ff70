import { describe, expect, it } from 'vitest';
import { parseSequenceSet, sequenceMembership, type SequenceRange } from './sequence-set.js';

function ranges(text: string): SequenceRange[] {
  const set = parseSequenceSet(text);
  if (!set || set.kind !== 'ranges') throw new Error(text);
  return set.ranges;
}

describe('sequenceMembership', () => {
  it('tests membership with "*" as the largest number and reversed ranges', () => {
    const member = sequenceMembership(ranges('2,4:6,9:7,12:*'), 15);
    expect([...Array(17).keys()].filter(member)).toEqual([2, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15]);
    expect(sequenceMembership(ranges('*:3'), 2)(2)).toBe(true);
    expect(sequenceMembership(ranges('1:4294967295,1:4294967295'), 10)(4294967295)).toBe(true);
  });

  it('tests 100,000 values against 15,000 ranges in milliseconds', () => {
    const text = Array.from({ length: 15_000 }, (_, i) => String(i * 7 + 1)).join(',');
    const member = sequenceMembership(ranges(text), 100_000);
    const started = performance.now();
    let found = 0;
    for (let value = 1; value <= 100_000; value++) if (member(value)) found++;
    expect(found).toBe(Math.ceil(100_000 / 7));
    expect(performance.now() - started).toBeLessThan(200);
  });
});
