import { describe, expect, it } from 'vitest';
import { sequenceIndexes } from './sequence-positions.js';

describe('sequenceIndexes', () => {
  it('finds each listed UID in the session, -1 for UIDs the session does not know', () => {
    expect([...sequenceIndexes([2, 3, 5, 9, 12], [1, 2, 5, 7, 9])]).toEqual([1, -1, 2, 4, -1]);
    expect([...sequenceIndexes([4], [])]).toEqual([-1]);
    expect([...sequenceIndexes([], [1, 2])]).toEqual([]);
  });
});
