import { Injectable } from '@nestjs/common';
import { LeaseRepository } from '../store/repositories/lease.repository.js';

/**
 * Named locks with an owner and an expiry, kept in the database so that every node sees them (the POP3 maildrop
 * lock, LOGIN-DELAY). A holder that dies without releasing loses its lease when it expires; a live holder renews it.
 */
@Injectable()
export class LeaseService {
  constructor(private readonly leases: LeaseRepository) {}

  /**
   * Takes the lease `name` for `owner` for `ttlMs` when it is free, expired or already `owner`'s.
   * True when `owner` holds it afterwards.
   */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.leases.acquire(name, owner, ttlMs);
  }

  /** Extends a lease `owner` holds (or re-takes it when it expired and nobody took it meanwhile). */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.leases.renew(name, owner, ttlMs);
  }

  /** Gives the lease up; a lease held by someone else is left alone. */
  async release(name: string, owner: string): Promise<void> {
    await this.leases.release(name, owner);
  }
}
