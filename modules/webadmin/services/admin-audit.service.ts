import { Injectable } from '@nestjs/common';
import { domainsInScope, type AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AuditLogReader, type AuditFilter, type AuditPage } from '../../../core/audit/audit-log.reader.js';
import { AuditLogWriter } from '../../../core/audit/audit-log.writer.js';
import type { AuditFilterInput } from '../inputs/admin-user.input.js';
import type { AuditEntryModel, AuditPageModel } from '../models/audit-entry.model.js';
import { badInput } from './admin-errors.js';
import { ADMIN_LIMITS } from './admin-limits.js';
import { auditCsv } from './audit-csv.js';

function toModel(entry: AuditPage['entries'][number]): AuditEntryModel {
  return {
    id: String(entry.id),
    at: new Date(entry.at),
    actor: entry.actor,
    actorRole: entry.actorRole,
    action: entry.action,
    target: entry.target,
    detail: entry.detail ? JSON.stringify(entry.detail) : '',
    clientAddress: entry.clientAddress,
  };
}

/** The audit log as an admin may read it: a domain admin sees the entries of its domains only. */
@Injectable()
export class AdminAuditService {
  constructor(
    private readonly reader: AuditLogReader,
    private readonly writer: AuditLogWriter,
  ) {}

  /** Writes one admin action that no core service records itself. */
  async record(
    principal: AdminPrincipal,
    clientAddress: string,
    action: string,
    target: string,
    detail: Record<string, unknown> | null = null,
  ): Promise<void> {
    await this.writer.record({ name: principal.address, role: principal.role, clientAddress }, action, target, detail);
  }

  async page(principal: AdminPrincipal, input: AuditFilterInput, before: string | null, limit: number): Promise<AuditPageModel> {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > ADMIN_LIMITS.maxPageSize)
      throw badInput(`limit must be 1 to ${ADMIN_LIMITS.maxPageSize}`);
    if (before !== null && !/^[1-9]\d{0,15}$/.test(before)) throw badInput('before must be an entry id');
    const page = await this.reader.page(this.filter(principal, input), before === null ? null : Number(before), limit);
    return { entries: page.entries.map(toModel), nextBefore: page.nextBefore === null ? null : String(page.nextBefore) };
  }

  /** The newest ADMIN_LIMITS.maxCsvRows entries that match, as CSV. */
  async csv(principal: AdminPrincipal, input: AuditFilterInput): Promise<string> {
    const filter = this.filter(principal, input);
    const entries: AuditEntryModel[] = [];
    let before: number | null = null;
    do {
      const page = await this.reader.page(filter, before, Math.min(ADMIN_LIMITS.maxPageSize * 5, ADMIN_LIMITS.maxCsvRows - entries.length));
      entries.push(...page.entries.map(toModel));
      before = page.nextBefore;
    } while (before !== null && entries.length < ADMIN_LIMITS.maxCsvRows);
    return auditCsv(entries);
  }

  private filter(principal: AdminPrincipal, input: AuditFilterInput): AuditFilter {
    for (const value of [input.actor, input.action, input.target]) {
      if (value !== undefined && value.length > ADMIN_LIMITS.maxFilterLength)
        throw badInput(`a filter may have at most ${ADMIN_LIMITS.maxFilterLength} characters`);
    }
    return {
      domainIds: domainsInScope(principal),
      actor: input.actor?.trim() || undefined,
      action: input.action?.trim() || undefined,
      target: input.target?.trim() || undefined,
      from: input.from?.getTime(),
      to: input.to?.getTime(),
    };
  }
}
