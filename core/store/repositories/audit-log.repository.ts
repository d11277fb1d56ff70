import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { auditActor, type AuditActorLike, type AuditEntry } from '../../audit/audit-log.js';
import type { AuditFilter } from '../../audit/audit-log.reader.js';
import { AuditLogEntity } from '../entities/audit-log.entity.js';
import { StoreService } from '../store.service.js';

/** The longest client address kept: an IPv6 address with a zone fits in 64. */
const MAX_CLIENT_ADDRESS = 64;

/** Records an administrative action inside the transaction that makes it. */
export async function recordAudit(
  manager: EntityManager,
  actor: AuditActorLike,
  action: string,
  target: string,
  detail: Record<string, unknown> | null = null,
  domainId: number | null = null,
): Promise<void> {
  const who = auditActor(actor);
  await manager.save(
    manager.create(AuditLogEntity, {
      at: Date.now(),
      actor: who.name,
      actorRole: who.role,
      clientAddress: who.clientAddress.slice(0, MAX_CLIENT_ADDRESS),
      action,
      target,
      detail,
      domainId,
    }),
  );
}

/** The `audit_log` table: entries written inside the transaction of the change they record, read in id pages. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly store: StoreService) {}

  /** Up to `limit` entries matching `filter` below id `before`, newest first. */
  async page(filter: AuditFilter, before: number | null, limit: number): Promise<AuditEntry[]> {
    const builder = this.filtered(filter);
    if (before !== null) builder.andWhere('entry.id < :before', { before });
    return builder.orderBy('entry.id', 'DESC').limit(limit).getMany();
  }

  private filtered(filter: AuditFilter): SelectQueryBuilder<AuditLogEntity> {
    const builder = this.store.reader.createQueryBuilder(AuditLogEntity, 'entry');
    if (filter.domainIds !== null) builder.andWhere('entry.domainId IN (:...domainIds)', { domainIds: [...filter.domainIds] });
    if (filter.actor) builder.andWhere('entry.actor = :actor', { actor: filter.actor.toLowerCase() });
    if (filter.action) {
      builder.andWhere('(entry.action = :action OR (entry.action >= :groupFrom AND entry.action < :groupTo))', {
        action: filter.action,
        groupFrom: `${filter.action}.`,
        groupTo: `${filter.action}/`,
      });
    }
    if (filter.target) builder.andWhere('entry.target = :target', { target: filter.target.toLowerCase() });
    if (filter.from !== undefined) builder.andWhere('entry.at >= :from', { from: filter.from });
    if (filter.to !== undefined) builder.andWhere('entry.at < :to', { to: filter.to });
    return builder;
  }
}
