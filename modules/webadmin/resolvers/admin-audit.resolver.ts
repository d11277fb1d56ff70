import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AdminGuard, CurrentAdmin } from '../../../core/graphql/admin.guard.js';
import { AuditFilterInput } from '../inputs/admin-user.input.js';
import { AuditPageModel } from '../models/audit-entry.model.js';
import { AdminAuditService } from '../services/admin-audit.service.js';

@Resolver()
@UseGuards(AdminGuard)
export class AdminAuditResolver {
  constructor(private readonly audit: AdminAuditService) {}

  @Query(() => AuditPageModel, { description: 'The audit log, newest first (domain admins: entries of their domains)' })
  auditLog(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null | undefined,
    @Args('before', { type: () => ID, nullable: true }) before: string | null | undefined,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
  ): Promise<AuditPageModel> {
    return this.audit.page(principal, filter ?? {}, before ?? null, limit);
  }

  @Query(() => String, { description: 'The audit log entries that match, newest first, as CSV (RFC 4180; at most 10,000 rows)' })
  auditLogCsv(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null | undefined,
  ): Promise<string> {
    return this.audit.csv(principal, filter ?? {});
  }
}
