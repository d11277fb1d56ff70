import type { Department } from '../repositories/department.repository.js';

/**
 * An administrator as the organisation module sees them: a system admin (everything), a domain admin (the
 * departments and people of their domains) or a department admin (the subtrees under the departments they were given).
 */
export type OrgActor =
  | { kind: 'system'; accountId: number }
  | { kind: 'domain'; accountId: number; domainIds: readonly number[] }
  | { kind: 'department'; accountId: number; roots: readonly Pick<Department, 'id' | 'path' | 'domainId'>[] };

/** Whether the actor works inside `department`: may list it, place people in it and add sub-departments to it. */
export function mayWorkIn(actor: OrgActor, department: Pick<Department, 'path' | 'domainId'>): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'domain') return actor.domainIds.includes(department.domainId);
  return actor.roots.some((root) => department.path.startsWith(root.path));
}

/**
 * Whether the actor may change `department` itself (rename, move, delete, list and policy, admins). A department
 * admin changes the sub-departments of their subtree, not the department they were given: that is set above them.
 */
export function mayChange(actor: OrgActor, department: Pick<Department, 'id' | 'path' | 'domainId'>): boolean {
  if (actor.kind !== 'department') return mayWorkIn(actor, department);
  return actor.roots.some((root) => department.path.startsWith(root.path) && department.id !== root.id);
}

/** Whether the actor administers a person: by domain, or (department admins) by one of the person's departments. */
export function mayManagePerson(
  actor: OrgActor,
  person: { domainId: number; departments: readonly Pick<Department, 'path' | 'domainId'>[] },
): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'domain') return actor.domainIds.includes(person.domainId);
  return person.departments.some((department) => mayWorkIn(actor, department));
}

/** The domains whose departments the actor sees at the top of the tree; null for all. */
export function actorDomains(actor: OrgActor): readonly number[] | null {
  if (actor.kind === 'system') return null;
  if (actor.kind === 'domain') return actor.domainIds;
  return [];
}
