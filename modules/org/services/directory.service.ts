import { Injectable } from '@nestjs/common';
import { DepartmentRepository, type Department } from '../repositories/department.repository.js';
import { PeopleRepository, type Member, type Person, type Privacy, type Viewer } from '../repositories/people.repository.js';
import { OrgEvents } from './org-events.js';
import { OrgError } from './org.errors.js';
import { normalizeQuery, searchKeys } from './search-keys.js';

/** A directory entry as a viewer may see it: phone numbers blanked when the person hides them from others. */
export type DirectoryEntry = Person & { isPrimary?: boolean; isManager?: boolean };

const MAX_RESULTS = 100;

/**
 * The global address list for every signed-in user: their organisation's department tree, department member pages
 * and people search, always through the privacy levels of the people shown.
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly departments: DepartmentRepository,
    private readonly people: PeopleRepository,
    private readonly events: OrgEvents,
  ) {}

  async viewer(account: { id: number; domainId: number }): Promise<Viewer> {
    const memberships = await this.departments.membershipsOf(account.id);
    return { accountId: account.id, domainId: account.domainId, departmentIds: memberships.map((membership) => membership.departmentId) };
  }

  /** Departments of the viewer's own organisation (domain): the roots, or the children of one of them. */
  async departmentsOf(viewer: Viewer, parentId: number | null): Promise<Department[]> {
    if (parentId !== null) {
      const parent = await this.departments.find(parentId);
      if (!parent || parent.domainId !== viewer.domainId) return [];
    }
    return this.departments.children(parentId, [viewer.domainId]);
  }

  async department(viewer: Viewer, id: number): Promise<Department | null> {
    const department = await this.departments.find(id);
    return department?.domainId === viewer.domainId ? department : null;
  }

  async members(viewer: Viewer, departmentId: number, offset: number, limit: number): Promise<Member[]> {
    const department = await this.department(viewer, departmentId);
    if (!department) return [];
    const page = await this.people.members(departmentId, viewer, Math.max(0, offset), clampLimit(limit));
    return page.map((member) => this.shown(viewer, member));
  }

  async search(viewer: Viewer, query: string, limit: number): Promise<DirectoryEntry[]> {
    const prefix = normalizeQuery(query);
    if (!prefix) return [];
    return (await this.people.search(prefix, viewer, clampLimit(limit))).map((person) => this.shown(viewer, person));
  }

  /** A user's own choice of who finds them and whether their phone numbers show; the rest of the entry is the admins'. */
  async setOwnPrivacy(accountId: number, privacy: Privacy, hidePhone: boolean): Promise<Person> {
    const updated = await this.departments.transaction(async (manager) => {
      const person = await this.people.find(accountId, manager);
      if (!person) throw new OrgError('NOT_FOUND', 'you have no entry in the address list');
      const changed = { ...person, privacy, hidePhone };
      await this.people.save(manager, changed, searchKeys(changed));
      return changed;
    });
    this.events.membershipChanged(accountId, 'privacy');
    return updated;
  }

  private shown<T extends Person>(viewer: Viewer, person: T): T {
    return person.hidePhone && person.accountId !== viewer.accountId ? { ...person, phone: '', mobile: '' } : person;
  }
}

function clampLimit(limit: number): number {
  return Math.min(Math.max(1, limit), MAX_RESULTS);
}
