import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from '../store/repositories/audit-log.repository.js';
import type { AuditEntry } from './audit-log.js';

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
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/** Reads the audit log newest first, in pages that continue below an id (no OFFSET, so page 100 costs as page 1). */
@Injectable()
export class AuditLogReader {
  constructor(private readonly log: AuditLogRepository) {}

  async page(filter: AuditFilter, before: number | null, limit: number): Promise<AuditPage> {
    if (filter.domainIds !== null && filter.domainIds.length === 0) return { entries: [], nextBefore: null };
    const rows = await this.log.page(filter, before, limit + 1);
    const entries = rows.slice(0, limit);
    return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1]!.id : null };
  }
}
