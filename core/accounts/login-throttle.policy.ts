/**
 * Login throttling decisions, pure so they can be tested on their own. Two counters guard every attempt:
 * - a pair counter per (login name, client network): `pairLimit` failures lock that pair for the lockout time, and
 *   each further lockout of the same pair doubles it, up to MAX_LOCKOUT_MS. An attacker can lock only the pairs of
 *   their own networks, never an account for everyone; an unknown login name is locked exactly like a real one.
 * - an address counter per client network: `addressLimit` failures inside a lockout window refuse the network
 *   whatever name it tries, so one address cannot spray guesses across many accounts.
 * Every attempt is counted as a failure before its password is verified (a reservation), so a burst of parallel
 * guesses cannot all pass a check made before any of them is recorded; a success then gives its reservation back.
 */

export interface ThrottleRow {
  failures: number;
  /** Lockouts of a pair in a row; the next one lasts twice as long. */
  lockouts: number;
  lockedUntil: number;
  /** When a failure was last counted. */
  updatedAt: number;
}

export interface ThrottleLimits {
  pairLimit: number;
  addressLimit: number;
  lockoutMs: number;
}

/** The longest lockout of a pair; a pair quiet for this long starts again with the shortest lockout. */
export const MAX_LOCKOUT_MS = 24 * 3600_000;

/** A client network may fail this many times the per-pair limit (several users behind one NAT gateway). */
export const ADDRESS_LIMIT_FACTOR = 4;

export const EMPTY_ROW: ThrottleRow = { failures: 0, lockouts: 0, lockedUntil: 0, updatedAt: 0 };

export function throttleLimits(maxFailures: number, lockoutSeconds: number): ThrottleLimits {
  return { pairLimit: maxFailures, addressLimit: maxFailures * ADDRESS_LIMIT_FACTOR, lockoutMs: lockoutSeconds * 1000 };
}

/** The pair's row with this attempt counted, or null when the pair is locked (the attempt is refused unverified). */
export function reservePair(row: ThrottleRow, now: number, limits: ThrottleLimits): { row: ThrottleRow; lockStarted: boolean } | null {
  if (row.lockedUntil > now) return null;
  const quietSince = Math.max(row.updatedAt, row.lockedUntil);
  let { failures, lockouts } = row;
  if (now - quietSince > MAX_LOCKOUT_MS) {
    failures = 0;
    lockouts = 0;
  } else if (now - row.updatedAt > limits.lockoutMs) {
    failures = 0;
  }
  failures++;
  if (failures < limits.pairLimit) return { row: { failures, lockouts, lockedUntil: row.lockedUntil, updatedAt: now }, lockStarted: false };
  const lockMs = Math.min(limits.lockoutMs * 2 ** Math.min(lockouts, 30), MAX_LOCKOUT_MS);
  return { row: { failures: 0, lockouts: lockouts + 1, lockedUntil: now + lockMs, updatedAt: now }, lockStarted: true };
}

/** The network's row with this attempt counted, or null when the network has used up its failures in this window. */
export function reserveAddress(row: ThrottleRow, now: number, limits: ThrottleLimits): { row: ThrottleRow; lockStarted: boolean } | null {
  const failures = now - row.updatedAt > limits.lockoutMs ? 0 : row.failures;
  if (failures >= limits.addressLimit) return null;
  return { row: { ...row, failures: failures + 1, updatedAt: now }, lockStarted: failures + 1 === limits.addressLimit };
}
