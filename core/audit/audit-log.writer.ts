import { Injectable } from '@nestjs/common';
import { StoreService } from '../store/store.service.js';
import { recordAudit } from '../store/repositories/audit-log.repository.js';
import type { AuditActorLike } from './audit-log.js';

/** Records an administrative action that is not part of another transaction (a sign-out everywhere, a setting). */
@Injectable()
export class AuditLogWriter {
  constructor(private readonly store: StoreService) {}

  async record(
    actor: AuditActorLike,
    action: string,
    target: string,
    detail: Record<string, unknown> | null = null,
    domainId: number | null = null,
  ): Promise<void> {
    await this.store.transaction((manager) => recordAudit(manager, actor, action, target, detail, domainId));
  }
}
