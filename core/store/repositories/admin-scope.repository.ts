import type { EntityManager } from 'typeorm';
import { AdminScopeEntity } from '../entities/admin-scope.entity.js';
import type { AdminScope } from '../../accounts/admin-authorization.js';

/** The scope rows of one admin. */
export async function loadAdminScope(manager: EntityManager, accountId: number): Promise<AdminScope> {
  const rows = await manager.find(AdminScopeEntity, { where: { accountId }, order: { targetId: 'ASC' } });
  return {
    domainIds: rows.filter((row) => row.kind === 'domain').map((row) => row.targetId),
    departmentIds: rows.filter((row) => row.kind === 'department').map((row) => row.targetId),
  };
}

/** Replaces the domains of an admin's scope (its departments stay). */
export async function replaceDomainScope(manager: EntityManager, accountId: number, domainIds: readonly number[]): Promise<void> {
  await manager.delete(AdminScopeEntity, { accountId, kind: 'domain' });
  if (domainIds.length > 0)
    await manager.insert(
      AdminScopeEntity,
      domainIds.map((targetId) => ({ accountId, kind: 'domain' as const, targetId })),
    );
}

export async function deleteAdminScopeOf(manager: EntityManager, accountId: number): Promise<void> {
  await manager.delete(AdminScopeEntity, { accountId });
}

/** A removed domain leaves nobody's scope pointing at it (a new domain may later get its id on SQLite). */
export async function deleteDomainFromScopes(manager: EntityManager, domainId: number): Promise<void> {
  await manager.delete(AdminScopeEntity, { kind: 'domain', targetId: domainId });
}
