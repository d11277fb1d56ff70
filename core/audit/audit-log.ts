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

/** One entry of the audit log, newest first in pages (see AuditLogReader). */
export interface AuditEntry {
  id: number;
  /** Milliseconds since the epoch. */
  at: number;
  actor: string;
  actorRole: string;
  clientAddress: string;
  /** `user.update`, `domain.add`, ... */
  action: string;
  target: string;
  detail: Record<string, unknown> | null;
  domainId: number | null;
}
