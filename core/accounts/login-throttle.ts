import { createHash } from 'node:crypto';
import type { StoreService } from '../store/store.service.js';
import { clientNetwork } from '../util/client-network.js';
import { parseAddress } from '../envelope/address.js';
import { EMPTY_ROW, MAX_LOCKOUT_MS, reserveAddress, reservePair, throttleLimits, type ThrottleLimits } from './login-throttle.policy.js';
import {
  deleteThrottleRow,
  ensureThrottleRows,
  lockThrottleRows,
  purgeThrottleRows,
  releaseThrottleFailure,
  saveThrottleRow,
  type ThrottleKey,
} from '../store/repositories/login-throttle.repository.js';

/** Longest login name kept as a row's subject; longer names are no address (RFC 5321 §4.5.3.1.3 allows 256 octets). */
const MAX_SUBJECT_LENGTH = 320;

/** How often stale rows are dropped (by whichever login comes first after the interval). */
const PURGE_INTERVAL_MS = 3600_000;

export interface Reservation {
  pair: ThrottleKey;
  address: ThrottleKey;
}

export type ReserveOutcome =
  { ok: true; reservation: Reservation; lockStarted: 'pair' | 'address' | null } | { ok: false; lockedBy: 'pair' | 'address' };

/** The name a login is counted under: the normalised address, or the bare name when it is not one. */
export function loginSubject(username: string): string {
  return parseAddress(username)?.normalized ?? username.trim().toLowerCase().slice(0, MAX_SUBJECT_LENGTH);
}

function keyId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** The login failure counters of login-throttle.policy.ts, kept in the database so every node shares them. */
export class LoginThrottle {
  private readonly limits: ThrottleLimits;
  private lastPurge = Date.now();

  constructor(
    private readonly store: StoreService,
    maxFailures: number,
    lockoutSeconds: number,
  ) {
    this.limits = throttleLimits(maxFailures, lockoutSeconds);
  }

  /** Counts an attempt as a failure before its password is checked; refuses it when its pair or network is locked. */
  async reserve(username: string, remoteAddress: string, now = Date.now()): Promise<ReserveOutcome> {
    const subject = loginSubject(username);
    const network = clientNetwork(remoteAddress);
    const reservation: Reservation = {
      pair: { id: keyId('pair', subject, network), subject },
      address: { id: keyId('network', network), subject: '' },
    };
    if (!this.store.isSqlite)
      await this.store.transaction((manager) => ensureThrottleRows(manager, [reservation.pair, reservation.address]));
    return this.store.transaction(async (manager) => {
      // SQLite runs one write transaction at a time, so creating the rows inside this one is atomic too.
      if (this.store.isSqlite) await ensureThrottleRows(manager, [reservation.pair, reservation.address]);
      const rows = await lockThrottleRows(manager, [reservation.pair.id, reservation.address.id]);
      const pair = reservePair(rows.get(reservation.pair.id) ?? EMPTY_ROW, now, this.limits);
      if (!pair) return { ok: false, lockedBy: 'pair' } as const;
      const address = reserveAddress(rows.get(reservation.address.id) ?? EMPTY_ROW, now, this.limits);
      if (!address) return { ok: false, lockedBy: 'address' } as const;
      await saveThrottleRow(manager, reservation.pair.id, pair.row);
      await saveThrottleRow(manager, reservation.address.id, address.row);
      const lockStarted = pair.lockStarted ? 'pair' : address.lockStarted ? 'address' : null;
      return { ok: true, reservation, lockStarted } as const;
    });
  }

  /**
   * A successful login clears its pair (failures and lock) and gives back its network's reservation, and only
   * that: the network's other failures still count, whichever account this login opened.
   */
  async succeeded(reservation: Reservation): Promise<void> {
    await this.store.transaction(async (manager) => {
      await deleteThrottleRow(manager, reservation.pair.id);
      await releaseThrottleFailure(manager, reservation.address.id);
    });
  }

  /** Drops stale rows at most once per PURGE_INTERVAL_MS. */
  async purgeIfDue(now = Date.now()): Promise<void> {
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    await this.store.transaction((manager) => purgeThrottleRows(manager, now - MAX_LOCKOUT_MS));
  }
}
