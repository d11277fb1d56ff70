import type { AccountRole } from './principal.js';

export type { AccountRole };

/**
 * What a domain admin may administer. A set of domains now; the organisation module adds departments, and a
 * department admin's scope is then its departments (with the domains they sit in).
 */
export interface AdminScope {
  domainIds: readonly number[];
  departmentIds: readonly number[];
}

/** An administrator as every admin check sees them. */
export type AdminPrincipal =
  | { role: 'system_admin'; accountId: number; address: string }
  | { role: 'domain_admin'; accountId: number; address: string; scope: AdminScope };

/** The domains a principal sees: null for every domain (a system admin). */
export function domainsInScope(principal: AdminPrincipal): readonly number[] | null {
  return principal.role === 'system_admin' ? null : principal.scope.domainIds;
}

export function mayAdministerDomain(principal: AdminPrincipal, domainId: number): boolean {
  return principal.role === 'system_admin' || principal.scope.domainIds.includes(domainId);
}

/** Adding and removing domains is installation-wide: system admins only. */
export function mayManageDomains(principal: AdminPrincipal): boolean {
  return principal.role === 'system_admin';
}

/** Whether the principal may see an account: one of a domain in its scope. */
export function mayViewAccount(principal: AdminPrincipal, account: { domainId: number }): boolean {
  return mayAdministerDomain(principal, account.domainId);
}

/**
 * Whether the principal may change or delete an account. A domain admin manages the users of its domains, not
 * their administrators: otherwise it could disable its peers or take over a system admin's mailbox.
 */
export function mayModifyAccount(principal: AdminPrincipal, account: { domainId: number; role: AccountRole; id: number }): boolean {
  if (principal.role === 'system_admin') return true;
  return mayAdministerDomain(principal, account.domainId) && account.role === 'user';
}

/** A domain admin creates and edits plain users only; roles are granted by system admins. */
export function mayGrantRole(principal: AdminPrincipal, role: AccountRole): boolean {
  return principal.role === 'system_admin' || role === 'user';
}
