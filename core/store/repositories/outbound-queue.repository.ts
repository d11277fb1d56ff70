import { Injectable } from '@nestjs/common';
import { In, LessThanOrEqual, type EntityManager } from 'typeorm';
import { OutboundMessageEntity } from '../entities/outbound-message.entity.js';
import { StoreService } from '../store.service.js';
import { MailRepository } from './mail.repository.js';

/** A queue row as it is inserted: everything but its id. */
export type NewOutboundRow = Omit<OutboundMessageEntity, 'id'>;

/**
 * The `outbound_messages` table. Each row holds one reference on its blob: inserting rows adds the references and
 * deleting a row releases its own, in the caller's transaction, so no caller can forget either.
 */
@Injectable()
export class OutboundQueueRepository {
  constructor(
    private readonly store: StoreService,
    private readonly mail: MailRepository,
  ) {}

  /** Inserts rows of one message (one blob of `blobSize` bytes); returns their ids. */
  async insert(manager: EntityManager, rows: readonly NewOutboundRow[], blobSize: number): Promise<number[]> {
    if (rows.length === 0) return [];
    const ids: number[] = [];
    for (const row of rows) ids.push(Number((await manager.insert(OutboundMessageEntity, row)).identifiers[0].id));
    await this.mail.addBlobRefs(manager, rows[0].blobId, blobSize, rows.length);
    return ids;
  }

  /**
   * Takes up to `limit` rows due at `now` (or whose `sending` lease was last renewed before `stale`) and marks them
   * `sending`, held by `owner` since `now`. On MySQL the rows are locked with SKIP LOCKED so that workers on several
   * nodes never take the same row; on SQLite the single writer serialises the claim.
   */
  async claim(limit: number, now: number, stale: number, owner: string): Promise<OutboundMessageEntity[]> {
    return this.store.transaction(async (manager) => {
      const query = manager
        .createQueryBuilder(OutboundMessageEntity, 'q')
        .where('(q.status = :queued AND q.nextAttemptAt <= :now) OR (q.status = :sending AND q.nextAttemptAt <= :stale)', {
          queued: 'queued',
          sending: 'sending',
          now,
          stale,
        })
        .orderBy('q.nextAttemptAt', 'ASC')
        .limit(limit);
      if (!this.store.isSqlite) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await query.getMany();
      if (rows.length === 0) return [];
      await manager.update(
        OutboundMessageEntity,
        { id: In(rows.map((row) => row.id)) },
        { status: 'sending', nextAttemptAt: now, leaseOwner: owner },
      );
      return rows.map((row) => ({ ...row, status: 'sending' as const, nextAttemptAt: now, leaseOwner: owner }));
    });
  }

  /** Extends `owner`'s lease on those of `ids` it still holds; returns how many it holds. */
  async renew(ids: readonly number[], owner: string, now: number): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.store.transaction((manager) =>
      manager.update(OutboundMessageEntity, { id: In([...ids]), status: 'sending', leaseOwner: owner }, { nextAttemptAt: now }),
    );
    return result.affected ?? 0;
  }

  /** Puts the row back in the queue with what its next attempt needs. */
  async requeue(
    id: number,
    changes: Pick<OutboundMessageEntity, 'attempts' | 'recipients' | 'lastError' | 'nextAttemptAt'> & { delayNotifiedAt?: number },
  ): Promise<void> {
    await this.store.transaction((manager) =>
      manager.update(OutboundMessageEntity, { id }, { status: 'queued', leaseOwner: null, ...changes }),
    );
  }

  list(): Promise<OutboundMessageEntity[]> {
    return this.store.reader.find(OutboundMessageEntity, { order: { id: 'ASC' } });
  }

  /** Queued rows due at `now`. */
  due(now: number): Promise<number> {
    return this.store.reader.countBy(OutboundMessageEntity, { status: 'queued', nextAttemptAt: LessThanOrEqual(now) });
  }

  /** Makes the row due now; false when there is no such row. */
  async retryNow(id: number, now: number): Promise<boolean> {
    const result = await this.store.transaction((manager) =>
      manager.update(OutboundMessageEntity, { id }, { status: 'queued', nextAttemptAt: now, leaseOwner: null }),
    );
    return (result.affected ?? 0) > 0;
  }

  find(manager: EntityManager, id: number): Promise<OutboundMessageEntity | null> {
    return manager.findOneBy(OutboundMessageEntity, { id });
  }

  /** Deletes the row and releases its blob reference; nothing when it was gone already (another node finished it). */
  async delete(manager: EntityManager, row: Pick<OutboundMessageEntity, 'id' | 'blobId'>): Promise<void> {
    const result = await manager.delete(OutboundMessageEntity, { id: row.id });
    if ((result.affected ?? 0) > 0) await this.mail.releaseBlobRefs(manager, [row.blobId]);
  }
}
