import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LeaseEntity } from '../entities/lease.entity.js';
import { StoreService } from '../store.service.js';

/** The `leases` table: claims that each lock one row exclusively, in the dialect of the database. */
@Injectable()
export class LeaseRepository {
  constructor(private readonly store: StoreService) {}

  /**
   * Takes the lease `name` for `owner` for `ttlMs` when it is free, expired or already `owner`'s.
   * True when `owner` holds it afterwards.
   */
  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      const now = Date.now();
      const expiresAt = now + ttlMs;
      if (this.store.isSqlite) {
        // One writer at a time: the insert creates a free lease, the update takes an expired or own one.
        await manager.createQueryBuilder().insert().into(LeaseEntity).values({ name, owner, expiresAt }).orIgnore().execute();
        await this.takeOver(manager, name, owner, expiresAt, now);
      } else {
        // One statement that locks the row exclusively from the start. INSERT IGNORE followed by UPDATE takes a
        // shared lock first, and concurrent claimants then deadlock upgrading it. Assignments run left to right,
        // so expiresAt changes only when owner has just become (or already was) ours.
        await manager.query(
          'INSERT INTO `leases` (`name`, `owner`, `expiresAt`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ' +
            '`owner` = IF(`owner` = VALUES(`owner`) OR `expiresAt` <= ?, VALUES(`owner`), `owner`), ' +
            '`expiresAt` = IF(`owner` = VALUES(`owner`), VALUES(`expiresAt`), `expiresAt`)',
          [name, owner, expiresAt, now],
        );
      }
      return this.heldBy(manager, name, owner);
    });
  }

  /** Extends a lease `owner` holds (or re-takes it when it expired and nobody took it meanwhile). */
  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      const now = Date.now();
      const expiresAt = now + ttlMs;
      await this.takeOver(manager, name, owner, expiresAt, now);
      return this.heldBy(manager, name, owner);
    });
  }

  /** Gives the lease up; a lease held by someone else is left alone. */
  async release(name: string, owner: string): Promise<void> {
    await this.store.transaction((manager) => manager.delete(LeaseEntity, { name, owner }));
  }

  private async takeOver(manager: EntityManager, name: string, owner: string, expiresAt: number, now: number): Promise<void> {
    const q = (column: string) => manager.connection.driver.escape(column);
    await manager
      .createQueryBuilder()
      .update(LeaseEntity)
      .set({ owner, expiresAt })
      .where(`${q('name')} = :name`, { name })
      .andWhere(`(${q('owner')} = :owner OR ${q('expiresAt')} <= :now)`, { owner, now })
      .execute();
  }

  /**
   * Reads the row back rather than trusting affected-row counts, which differ between drivers (MySQL may count
   * changed rows, not matched ones). Owners are unique per holder, so owner equality means our update applied.
   * On MySQL the read locks the row, so it sees the latest committed version rather than an older snapshot.
   */
  private async heldBy(manager: EntityManager, name: string, owner: string): Promise<boolean> {
    const row = await manager.findOne(LeaseEntity, {
      where: { name },
      ...(this.store.isSqlite ? {} : { lock: { mode: 'pessimistic_write' as const } }),
    });
    return row !== null && row.owner === owner;
  }
}
