import { Injectable } from '@nestjs/common';
import { StoreService } from '../store/store.service.js';
import { recordAudit } from '../store/repositories/audit-log.repository.js';
import type { AuditActorLike } from './audit-log.js';

/**
 * Records an administrative action that changes no row of its own (a backup, a restore job), for callers that hold
 * no transaction: the entry gets one of its own.
 */
@Injectable()
export class AuditRecorder {
  constructor(private readonly store: StoreService) {}

  record(actor: AuditActorLike, action: string, target: string, detail: Record<string, unknown> | null = null): Promise<void> {
    return this.store.transaction((manager) => recordAudit(manager, actor, action, target, detail));
  }
}
