import { Injectable } from '@nestjs/common';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { DepartmentRepository } from '../repositories/department.repository.js';
import type { OrgActor } from './org-actor.js';

/** Turns a signed-in account into an organisation actor: its admin role if it has one, else its department-admin grants. */
@Injectable()
export class OrgActorsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly departments: DepartmentRepository,
  ) {}

  async actorOf(account: { id: number; address: string; role: 'user' | 'domain_admin' | 'system_admin' }): Promise<OrgActor | null> {
    const principal = await this.accounts.adminPrincipal(account);
    if (principal?.role === 'system_admin') return { kind: 'system', accountId: account.id };
    if (principal?.role === 'domain_admin') return { kind: 'domain', accountId: account.id, domainIds: principal.scope.domainIds };
    const roots = await this.departments.adminDepartments(account.id);
    return roots.length > 0 ? { kind: 'department', accountId: account.id, roots } : null;
  }
}
