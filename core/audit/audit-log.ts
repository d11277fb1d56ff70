import type { EntityManager } from 'typeorm';
import { AuditLogEntity } from '../store/entities/audit-log.entity.js';

/** Records an administrative action inside the transaction that makes it. */
export async function recordAudit(manager: EntityManager, actor: string, action: string, target: string, detail: Record<string, unknown> | null = null): Promise<void> {
  await manager.save(manager.create(AuditLogEntity, { at: Date.now(), actor, action, target, detail }));
}
