import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { AuditLogEntity } from '../store/entities/audit-log.entity.js';
import { StoreService } from '../store/store.service.js';

export interface AuditFilter {
  /** Entries of these domains only; null for all (a system admin). An empty list finds nothing. */
  domainIds: readonly number[] | null;
  actor?: string;
  /** An action (`user.update`) or a group of them (`user`). */
  action?: string;
  target?: string;
  /** Milliseconds since the epoch, inclusive. */
  from?: number;
  /** Milliseconds since the epoch, exclusive. */
  to?: number;
}

export interface AuditPage {
  entries: AuditLogEntity[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/** Reads the audit log newest first, in pages that continue below an id (no OFFSET, so page 100 costs as page 1). */
@Injectable()
export class AuditLogReader {
  constructor(private readonly store: StoreService) {}

  async page(filter: AuditFilter, before: number | null, limit: number): Promise<AuditPage> {
    if (filter.domainIds !== null && filter.domainIds.length === 0) return { entries: [], nextBefore: null };
    const builder = this.filtered(filter);
    if (before !== null) builder.andWhere('entry.id < :before', { before });
    const rows = await builder.orderBy('entry.id', 'DESC').limit(limit + 1).getMany();
    const entries = rows.slice(0, limit);
    return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1]!.id : null };
  }

  private filtered(filter: AuditFilter): SelectQueryBuilder<AuditLogEntity> {
    const builder = this.store.reader.createQueryBuilder(AuditLogEntity, 'entry');
    if (filter.domainIds !== null) builder.andWhere('entry.domainId IN (:...domainIds)', { domainIds: [...filter.domainIds] });
    if (filter.actor) builder.andWhere('entry.actor = :actor', { actor: filter.actor.toLowerCase() });
    if (filter.action) {
      builder.andWhere('(entry.action = :action OR (entry.action >= :groupFrom AND entry.action < :groupTo))', {
        action: filter.action, groupFrom: `${filter.action}.`, groupTo: `${filter.action}/`,
      });
    }
    if (filter.target) builder.andWhere('entry.target = :target', { target: filter.target.toLowerCase() });
    if (filter.from !== undefined) builder.andWhere('entry.at >= :from', { from: filter.from });
    if (filter.to !== undefined) builder.andWhere('entry.at < :to', { to: filter.to });
    return builder;
  }
}
