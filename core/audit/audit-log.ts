import type { EntityManager } from 'typeorm';
import { AuditLogEntity } from '../store/entities/audit-log.entity.js';

/** Who made a change: an account (with its role and client address), or `cli` / `system` as a bare name. */
export interface AuditActor {
  name: string;
  role: string;
  clientAddress: string;
}

export type AuditActorLike = string | AuditActor;

export function auditActor(actor: AuditActorLike): AuditActor {
  return typeof actor === 'string' ? { name: actor, role: '', clientAddress: '' } : actor;
}

/** The longest client address kept: an IPv6 address with a zone fits in 64. */
const MAX_CLIENT_ADDRESS = 64;

/** Records an administrative action inside the transaction that makes it. */
export async function recordAudit(
  manager: EntityManager, actor: AuditActorLike, action: string, target: string,
  detail: Record<string, unknown> | null = null, domainId: number | null = null,
): Promise<void> {
  const who = auditActor(actor);
  await manager.save(manager.create(AuditLogEntity, {
    at: Date.now(), actor: who.name, actorRole: who.role, clientAddress: who.clientAddress.slice(0, MAX_CLIENT_ADDRESS),
    action, target, detail, domainId,
  }));
}
