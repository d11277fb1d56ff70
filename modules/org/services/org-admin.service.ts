import { Injectable } from '@nestjs/common';
import { parseAddress } from '../../../core/envelope/address.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { DepartmentRepository, type Department, type DepartmentFields, type ListPolicy } from '../repositories/department.repository.js';
import { PeopleRepository, type Member, type Person, type Privacy } from '../repositories/people.repository.js';
import { OrgEvents } from './org-events.js';
import { actorDomains, mayChange, mayManagePerson, mayWorkIn, type OrgActor } from './org-actor.js';
import { badInput, OrgError, outOfScope } from './org.errors.js';
import { searchKeys, sortKeyOf } from './search-keys.js';

export interface DepartmentInput {
  domain?: string | null;
  parentId?: number | null;
  name: string;
  code?: string | null;
  sortOrder?: number | null;
  description?: string | null;
}

export interface PersonInput {
  address: string;
  name?: string | null;
  title?: string | null;
  phone?: string | null;
  mobile?: string | null;
  employeeNumber?: string | null;
  office?: string | null;
  privacy?: Privacy | null;
  hidePhone?: boolean | null;
}

export interface ListInput {
  address: string | null;
  recursive: boolean;
  primaryOnly: boolean;
  policy: ListPolicy;
  senders: readonly string[];
}

const MAX_PAGE = 500;

/** What the module needs of an account (the core service's answer, narrowed). */
type Account = { id: number; domainId: number; address: string; displayName: string };

/**
 * Administration of the department tree, people, memberships, department admins and department lists. Every
 * operation checks the actor's scope first and answers FORBIDDEN for anything outside it, existing or not.
 */
@Injectable()
export class OrgAdminService {
  constructor(
    private readonly departments: DepartmentRepository,
    private readonly people: PeopleRepository,
    private readonly accounts: AccountsService,
    private readonly events: OrgEvents,
  ) {}

  /** The children of `parentId` the actor may see; at the top, the roots of its domains or its own departments. */
  async children(actor: OrgActor, parentId: number | null): Promise<Department[]> {
    if (parentId === null && actor.kind === 'department') return this.actorRoots(actor);
    if (parentId === null) return this.departments.children(null, actorDomains(actor));
    await this.workIn(actor, parentId);
    return this.departments.children(parentId, null);
  }

  async department(actor: OrgActor, id: number): Promise<Department> {
    return this.workIn(actor, id);
  }

  async members(actor: OrgActor, departmentId: number, offset: number, limit: number): Promise<Member[]> {
    await this.workIn(actor, departmentId);
    return this.people.members(departmentId, null, Math.max(0, offset), Math.min(Math.max(1, limit), MAX_PAGE));
  }

  async createDepartment(actor: OrgActor, input: DepartmentInput): Promise<Department> {
    const fields = this.fields(input);
    let parent: Department | null = null;
    let domainId: number;
    if (input.parentId !== undefined && input.parentId !== null) {
      parent = await this.workIn(actor, input.parentId);
      domainId = parent.domainId;
    } else {
      const domain = input.domain ? await this.accounts.findDomain(input.domain) : null;
      if (actor.kind === 'department' || (actor.kind === 'domain' && !actor.domainIds.includes(domain?.id ?? -1))) throw outOfScope();
      if (!domain) throw new OrgError('NOT_FOUND', 'a top-level department needs a hosted domain');
      domainId = domain.id;
    }
    const id = await this.departments.transaction(async (manager) => {
      if (fields.code && (await this.departments.findByCode(fields.code, manager)))
        throw new OrgError('ALREADY_EXISTS', `department code ${fields.code} is taken`);
      return this.departments.insert(manager, domainId, parent, fields);
    });
    this.events.departmentChanged(id, 'created');
    return (await this.departments.find(id))!;
  }

  async updateDepartment(
    actor: OrgActor,
    id: number,
    input: Partial<Record<keyof DepartmentFields, string | number | null>>,
  ): Promise<Department> {
    const department = await this.change(actor, id);
    const fields = this.fields({
      ...department,
      ...Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null)),
    });
    await this.departments.transaction(async (manager) => {
      const holder = fields.code ? await this.departments.findByCode(fields.code, manager) : null;
      if (holder && holder.id !== id) throw new OrgError('ALREADY_EXISTS', `department code ${fields.code} is taken`);
      await this.departments.update(manager, id, fields);
    });
    this.events.departmentChanged(id, 'updated');
    return (await this.departments.find(id))!;
  }

  /** Moves a department with its subtree under another department of the same domain (or to the top: admins of the domain). */
  async moveDepartment(actor: OrgActor, id: number, parentId: number | null): Promise<Department> {
    const department = await this.change(actor, id);
    const parent = parentId === null ? null : await this.workIn(actor, parentId);
    if (!parent && actor.kind === 'department') throw outOfScope();
    if (parent && parent.domainId !== department.domainId) throw badInput('a department moves only within its organisation (domain)');
    if (parent?.path.startsWith(department.path)) throw badInput('a department cannot move into its own subtree');
    await this.departments.transaction((manager) => this.departments.move(manager, department, parent));
    this.events.departmentChanged(id, 'moved');
    return (await this.departments.find(id))!;
  }

  /** Deletes an empty department, or one whose members move to `moveMembersTo`; never one with sub-departments. */
  async deleteDepartment(actor: OrgActor, id: number, moveMembersTo: number | null): Promise<boolean> {
    await this.change(actor, id);
    if (moveMembersTo !== null) {
      if (moveMembersTo === id) throw badInput('members cannot move to the department being deleted');
      await this.workIn(actor, moveMembersTo);
    }
    await this.departments.transaction(async (manager) => {
      if ((await this.departments.childCount(id, manager)) > 0)
        throw new OrgError('IN_USE', 'the department has sub-departments: move or delete them first');
      if (moveMembersTo === null && (await this.departments.memberCount(id, manager)) > 0) {
        throw new OrgError('IN_USE', 'the department has members: move them first (moveMembersTo)');
      }
      await this.departments.remove(manager, id, moveMembersTo);
    });
    this.events.departmentChanged(id, 'deleted');
    return true;
  }

  /** Creates or changes a person's directory entry (the account must exist). */
  async setPerson(actor: OrgActor, input: PersonInput): Promise<Person> {
    const { account, person } = await this.managedPerson(actor, input.address);
    return this.writePerson(account, person, input);
  }

  private async writePerson(account: Account, person: Person | null, input: Omit<PersonInput, 'address'>): Promise<Person> {
    const merged: Person = {
      accountId: account.id,
      domainId: account.domainId,
      address: account.address,
      name: clean(input.name ?? person?.name ?? account.displayName, 200),
      sortKey: '',
      title: clean(input.title ?? person?.title ?? '', 200),
      phone: clean(input.phone ?? person?.phone ?? '', 64),
      mobile: clean(input.mobile ?? person?.mobile ?? '', 64),
      employeeNumber: input.employeeNumber === undefined ? (person?.employeeNumber ?? null) : clean(input.employeeNumber ?? '', 64) || null,
      office: clean(input.office ?? person?.office ?? '', 200),
      privacy: input.privacy ?? person?.privacy ?? 'organisation',
      hidePhone: input.hidePhone ?? person?.hidePhone ?? false,
    };
    merged.sortKey = sortKeyOf(merged.name || merged.address);
    await this.departments.transaction(async (manager) => {
      const holder = merged.employeeNumber ? await this.people.findByEmployeeNumber(merged.employeeNumber, manager) : null;
      if (holder && holder.accountId !== account.id)
        throw new OrgError('ALREADY_EXISTS', `employee number ${merged.employeeNumber} belongs to ${holder.address}`);
      await this.people.save(manager, merged, searchKeys(merged));
    });
    this.events.membershipChanged(account.id, 'person');
    return merged;
  }

  /** Places a person in a department (creating their directory entry from the account when there is none). */
  async placeMember(actor: OrgActor, address: string, departmentId: number, primary: boolean, isManager: boolean): Promise<Member> {
    const department = await this.workIn(actor, departmentId);
    const { account, person } = await this.managedPerson(actor, address, department);
    if (account.domainId !== department.domainId) throw badInput('a person belongs only to departments of their own domain');
    if (!person) await this.writePerson(account, null, {});
    await this.departments.transaction(async (manager) => {
      const memberships = await this.departments.membershipsOf(account.id, manager);
      // The first placement is the primary one whatever was asked: everyone has exactly one primary department.
      const makePrimary = primary || !memberships.some((membership) => membership.isPrimary && membership.departmentId !== departmentId);
      await this.departments.place(manager, account.id, departmentId, makePrimary, isManager);
      await this.people.syncSortKeys(manager, account.id);
    });
    this.events.membershipChanged(account.id, 'placed', departmentId);
    return (await this.people.member(departmentId, account.id))!;
  }

  async removeMember(actor: OrgActor, address: string, departmentId: number): Promise<boolean> {
    await this.workIn(actor, departmentId);
    const { account } = await this.managedPerson(actor, address);
    const removed = await this.departments.transaction(async (manager) => {
      const memberships = await this.departments.membershipsOf(account.id, manager);
      const leaving = memberships.find((membership) => membership.departmentId === departmentId);
      if (!leaving) return false;
      await this.departments.unplace(manager, account.id, departmentId);
      // Someone who leaves their primary department gets their next one as primary.
      const next = memberships.find((membership) => membership.departmentId !== departmentId);
      if (leaving.isPrimary && next) await this.departments.place(manager, account.id, next.departmentId, true, next.isManager);
      return true;
    });
    if (removed) this.events.membershipChanged(account.id, 'removed', departmentId);
    return removed;
  }

  /** The department admins of a department (addresses). */
  async departmentAdmins(actor: OrgActor, departmentId: number): Promise<string[]> {
    await this.workIn(actor, departmentId);
    const ids = await this.departments.admins(departmentId);
    const people = await Promise.all(ids.map((id) => this.people.find(id)));
    return people.flatMap((person) => (person ? [person.address] : []));
  }

  /** Replaces the department admins of a department; each must be a person of its domain. */
  async setDepartmentAdmins(actor: OrgActor, departmentId: number, addresses: readonly string[]): Promise<string[]> {
    const department = await this.change(actor, departmentId);
    const ids: number[] = [];
    for (const address of addresses) {
      const account = await this.accounts.findUser(address);
      if (!account || account.domainId !== department.domainId) throw badInput(`${address} is not a user of the department's domain`);
      if (!(await this.people.find(account.id))) await this.writePerson(account, null, {});
      ids.push(account.id);
    }
    await this.departments.transaction((manager) => this.departments.setAdmins(manager, departmentId, [...new Set(ids)]));
    this.events.departmentChanged(departmentId, 'admins');
    return this.departmentAdmins(actor, departmentId);
  }

  /** Sets (or with a null address removes) a department's list address, expansion and send policy. */
  async setList(actor: OrgActor, departmentId: number, input: ListInput): Promise<Department> {
    const department = await this.change(actor, departmentId);
    const address = input.address === null ? null : parseAddress(input.address)?.normalized;
    if (address === undefined) throw badInput('the list address is not an e-mail address');
    if (address !== null) {
      const domain = await this.accounts.findDomain(address.slice(address.lastIndexOf('@') + 1));
      if (!domain || domain.id !== department.domainId) throw badInput('a list address must be in the department’s own domain');
      if (await this.accounts.findUser(address)) throw new OrgError('ALREADY_EXISTS', `${address} is a user`);
      if ((await this.accounts.listAliases()).some((alias) => alias.address === address))
        throw new OrgError('ALREADY_EXISTS', `${address} is an alias`);
      const holder = await this.departments.findByListAddress(address);
      if (holder && holder.id !== departmentId) throw new OrgError('ALREADY_EXISTS', `${address} is the list of another department`);
    }
    const senders = input.senders.map((sender) => {
      const parsed = parseAddress(sender);
      if (!parsed) throw badInput(`${sender} is not an e-mail address`);
      return parsed.normalized;
    });
    await this.departments.transaction(async (manager) => {
      await this.departments.update(manager, departmentId, {
        listAddress: address,
        listRecursive: input.recursive,
        listPrimaryOnly: input.primaryOnly,
        listPolicy: input.policy,
        listAction: 'refuse',
      });
      await this.departments.setListSenders(manager, departmentId, [...new Set(senders)]);
    });
    this.events.departmentChanged(departmentId, 'list');
    return (await this.departments.find(departmentId))!;
  }

  async listSenders(actor: OrgActor, departmentId: number): Promise<string[]> {
    await this.workIn(actor, departmentId);
    return this.departments.listSenders(departmentId);
  }

  /** The department if the actor works in it; FORBIDDEN otherwise, and for a missing one unless a system admin asks. */
  async workIn(actor: OrgActor, id: number): Promise<Department> {
    const department = await this.departments.find(id);
    if (!department) throw actor.kind === 'system' ? new OrgError('NOT_FOUND', `department ${id} does not exist`) : outOfScope();
    if (!mayWorkIn(actor, department)) throw outOfScope();
    return department;
  }

  private async change(actor: OrgActor, id: number): Promise<Department> {
    const department = await this.workIn(actor, id);
    if (!mayChange(actor, department)) throw outOfScope();
    return department;
  }

  private async actorRoots(actor: Extract<OrgActor, { kind: 'department' }>): Promise<Department[]> {
    const roots = await Promise.all(actor.roots.map((root) => this.departments.find(root.id)));
    return roots.filter((root): root is Department => root !== null);
  }

  /**
   * The account at `address` and its directory entry, if the actor manages them. A department admin manages people
   * with a department in its subtree, and people of its domain not yet placed anywhere when placing them into it.
   */
  private async managedPerson(
    actor: OrgActor,
    address: string,
    placingInto?: Department,
  ): Promise<{ account: Account; person: Person | null }> {
    const account = await this.accounts.findUser(address);
    if (!account) throw actor.kind === 'system' ? new OrgError('NOT_FOUND', `user ${address} does not exist`) : outOfScope();
    const person = await this.people.find(account.id);
    const memberships = await this.departments.membershipsOf(account.id);
    const departments = (await Promise.all(memberships.map((membership) => this.departments.find(membership.departmentId)))).filter(
      (department): department is Department => department !== null,
    );
    const unplacedHere =
      actor.kind === 'department' && placingInto !== undefined && departments.length === 0 && account.domainId === placingInto.domainId;
    if (!unplacedHere && !mayManagePerson(actor, { domainId: account.domainId, departments })) throw outOfScope();
    return { account, person };
  }

  private fields(input: Partial<DepartmentInput>): DepartmentFields {
    const name = clean(input.name ?? '', 200);
    if (!name) throw badInput('a department needs a name');
    const code = clean(input.code ?? '', 64) || null;
    const sortOrder = input.sortOrder ?? 0;
    if (!Number.isInteger(sortOrder)) throw badInput('sortOrder must be an integer');
    return { name, code, sortOrder, description: clean(input.description ?? '', 1000) };
  }
}

function clean(value: string, max: number): string {
  return value.trim().slice(0, max);
}
