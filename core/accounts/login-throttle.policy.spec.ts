import { describe, expect, it } from 'vitest';
import { EMPTY_ROW, MAX_LOCKOUT_MS, reserveAddress, reservePair, throttleLimits, type ThrottleRow } from './login-throttle.policy.js';

const limits = throttleLimits(3, 60);

function failPair(row: ThrottleRow, times: number, now: number): ThrottleRow {
  for (let i = 0; i < times; i++) row = reservePair(row, now, limits)!.row;
  return row;
}

describe('login throttle policy', () => {
  it('locks a pair on the limit-th attempt, so that no attempt after it is verified', () => {
    let row = failPair(EMPTY_ROW, 2, 1000);
    const third = reservePair(row, 1000, limits)!;
    expect(third.lockStarted).toBe(true);
    row = third.row;
    expect(row.lockedUntil).toBe(1000 + 60_000);
    expect(reservePair(row, 1000 + 59_999, limits)).toBeNull();
    expect(reservePair(row, 1000 + 60_000, limits)).not.toBeNull();
  });

  it('doubles each further lockout of the same pair, up to the longest', () => {
    let row = failPair(EMPTY_ROW, 3, 0);
    expect(row.lockedUntil).toBe(60_000);
    row = failPair(row, 3, 60_000);
    expect(row.lockedUntil).toBe(60_000 + 120_000);
    row = failPair(row, 3, 180_000);
    expect(row.lockedUntil).toBe(180_000 + 240_000);
    row = { ...row, lockouts: 40 };
    const now = row.lockedUntil;
    expect(failPair(row, 3, now).lockedUntil).toBe(now + MAX_LOCKOUT_MS);
  });

  it("forgets a pair's failures after a quiet lockout window, and its lockouts after a quiet day", () => {
    const row = failPair(EMPTY_ROW, 2, 0);
    expect(reservePair(row, 60_001, limits)!.row.failures).toBe(1);
    const locked = failPair(EMPTY_ROW, 3, 0);
    const later = locked.lockedUntil + MAX_LOCKOUT_MS + 1;
    expect(failPair(locked, 3, later).lockedUntil).toBe(later + 60_000);
  });

  it('refuses a network after its failures in one window', () => {
    let row = EMPTY_ROW;
    for (let i = 0; i < 11; i++) row = reserveAddress(row, 0, limits)!.row;
    const last = reserveAddress(row, 0, limits)!;
    expect(last.lockStarted).toBe(true);
    expect(reserveAddress(last.row, 0, limits)).toBeNull();
    expect(reserveAddress(last.row, 60_001, limits)!.row.failures).toBe(1);
  });
});
