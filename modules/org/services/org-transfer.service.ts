import { Injectable } from '@nestjs/common';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { DepartmentRepository, type Department } from '../repositories/department.repository.js';
import { PeopleRepository, type Privacy } from '../repositories/people.repository.js';
import { actorDomains, mayWorkIn, type OrgActor } from './org-actor.js';
import { OrgAdminService } from './org-admin.service.js';
import { csvRecords, toCsv } from './org-csv.js';
import { badInput, OrgError } from './org.errors.js';

export const DEPARTMENT_COLUMNS = ['code', 'parent_code', 'domain', 'name', 'sort_order', 'description'] as const;
export const PEOPLE_COLUMNS = [
  'employee_number',
  'address',
  'name',
  'title',
  'phone',
  'mobile',
  'office',
  'privacy',
  'hide_phone',
  'primary_department',
  'departments',
  'manages',
] as const;

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  errors: string[];
}

interface Placement {
  primary: boolean;
  manager: boolean;
}

const PRIVACY: readonly Privacy[] = ['hidden', 'department', 'organisation', 'everyone'];
const MAX_ERRORS = 100;

const codes = (value: string): string[] =>
  value
    .split(';')
    .map((code) => code.trim())
    .filter(Boolean);

/**
 * CSV import and export of departments (by code) and people (by employee number, else address) with their placement,
 * for a nightly HR sync: importing the same file twice changes nothing the second time. Every row goes through the
 * admin service, so the importer's scope applies row by row; a refused row is reported and the others go on.
 */
@Injectable()
export class OrgTransferService {
  constructor(
    private readonly admin: OrgAdminService,
    private readonly departments: DepartmentRepository,
    private readonly people: PeopleRepository,
    private readonly accounts: AccountsService,
  ) {}

  async exportDepartments(actor: OrgActor): Promise<string> {
    const departments = await this.visibleDepartments(actor);
    const byId = new Map(departments.map((department) => [department.id, department]));
    const domains = await this.domainNames(departments);
    return toCsv(
      DEPARTMENT_COLUMNS,
      departments.map((department) => [
        department.code ?? '',
        department.parentId === null ? '' : (byId.get(department.parentId)?.code ?? ''),
        domains.get(department.domainId) ?? '',
        department.name,
        String(department.sortOrder),
        department.description,
      ]),
    );
  }

  async exportPeople(actor: OrgActor): Promise<string> {
    const departments = await this.visibleDepartments(actor);
    const codeOf = new Map(departments.map((department) => [department.id, department.code ?? '']));
    const rows = await this.people.allWithMemberships(
      actor.kind === 'department' ? [...new Set(departments.map((department) => department.domainId))] : actorDomains(actor),
    );
    const people = new Map<number, { row: (typeof rows)[number]; primary: string; others: string[]; manages: string[] }>();
    for (const row of rows) {
      const entry = people.get(row.accountId) ?? { row, primary: '', others: [], manages: [] };
      people.set(row.accountId, entry);
      const code = row.departmentId === null ? undefined : codeOf.get(row.departmentId);
      if (code === undefined) continue;
      if (row.isPrimary) entry.primary = code;
      else entry.others.push(code);
      if (row.isManager) entry.manages.push(code);
    }
    // A department admin exports the people placed in its subtree only.
    const shown = [...people.values()].filter((entry) => actor.kind !== 'department' || entry.primary || entry.others.length > 0);
    return toCsv(
      PEOPLE_COLUMNS,
      shown.map(({ row, primary, others, manages }) => [
        row.employeeNumber ?? '',
        row.address,
        row.name,
        row.title,
        row.phone,
        row.mobile,
        row.office,
        row.privacy,
        row.hidePhone ? 'yes' : 'no',
        primary,
        others.join(';'),
        manages.join(';'),
      ]),
    );
  }

  /** Creates and updates departments by code; parents may come after their children in the file. */
  async importDepartments(actor: OrgActor, csv: string): Promise<ImportResult> {
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, errors: [] };
    let pending = csvRecords(csv);
    for (let progress = true; pending.length > 0 && progress;) {
      progress = false;
      const waiting: typeof pending = [];
      for (const record of pending) {
        const parentCode = record.get('parent_code');
        const parent = parentCode ? await this.departments.findByCode(parentCode) : null;
        if (parentCode && !parent) {
          waiting.push(record);
          continue;
        }
        progress = true;
        await this.row(result, record.line, async () => {
          const code = record.get('code');
          if (!code) throw badInput('code is required');
          const fields = {
            name: record.get('name'),
            sortOrder: Number(record.get('sort_order') || 0),
            description: record.get('description'),
          };
          const existing = await this.departments.findByCode(code);
          if (!existing) {
            await this.admin.createDepartment(actor, {
              ...fields,
              code,
              parentId: parent?.id ?? null,
              domain: record.get('domain') || null,
            });
            return 'created';
          }
          let changed = false;
          if (existing.name !== fields.name || existing.sortOrder !== fields.sortOrder || existing.description !== fields.description) {
            await this.admin.updateDepartment(actor, existing.id, fields);
            changed = true;
          }
          if (existing.parentId !== (parent?.id ?? null)) {
            await this.admin.moveDepartment(actor, existing.id, parent?.id ?? null);
            changed = true;
          }
          return changed ? 'updated' : 'unchanged';
        });
      }
      pending = waiting;
    }
    for (const record of pending) this.fail(result, record.line, `parent department ${record.get('parent_code')} does not exist`);
    return result;
  }

  /** Creates and updates people's entries and sets their placement to exactly the departments the row names. */
  async importPeople(actor: OrgActor, csv: string): Promise<ImportResult> {
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, errors: [] };
    for (const record of csvRecords(csv)) {
      await this.row(result, record.line, async () => {
        const employeeNumber = record.get('employee_number') || null;
        const known = employeeNumber ? await this.people.findByEmployeeNumber(employeeNumber) : null;
        const address = record.get('address') || known?.address;
        if (!address) throw badInput('address or a known employee_number is required');
        if (known && known.address !== address.toLowerCase())
          throw badInput(`employee number ${employeeNumber} belongs to ${known.address}`);
        const privacy = (record.get('privacy') || 'organisation').toLowerCase() as Privacy;
        if (!PRIVACY.includes(privacy)) throw badInput(`privacy must be one of ${PRIVACY.join(', ')}`);
        const account = await this.accounts.findUser(address);
        const current = account ? await this.people.find(account.id) : null;
        if (employeeNumber && current?.employeeNumber && current.employeeNumber !== employeeNumber) {
          throw badInput(`${current.address} has employee number ${current.employeeNumber}, not ${employeeNumber}`);
        }
        const wanted = await this.placements(
          record.get('primary_department'),
          codes(record.get('departments')),
          new Set(codes(record.get('manages'))),
        );
        const before = account ? await this.snapshot(account.id) : null;
        await this.admin.setPerson(actor, {
          address,
          employeeNumber,
          privacy,
          name: record.get('name'),
          title: record.get('title'),
          phone: record.get('phone'),
          mobile: record.get('mobile'),
          office: record.get('office'),
          hidePhone: /^(1|yes|true)$/i.test(record.get('hide_phone')),
        });
        await this.place(actor, address, wanted);
        const after = await this.snapshot((await this.accounts.findUser(address))!.id);
        if (!before || before === 'none') return 'created';
        return before === after ? 'unchanged' : 'updated';
      });
    }
    return result;
  }

  /** The departments a row names, by id; refused before anything of the row is written when a code is unknown. */
  private async placements(
    primaryCode: string,
    otherCodes: readonly string[],
    manages: ReadonlySet<string>,
  ): Promise<Map<number, Placement>> {
    const wanted = new Map<number, Placement>();
    for (const [code, primary] of [
      ...(primaryCode ? [[primaryCode, true] as const] : []),
      ...otherCodes.map((code) => [code, false] as const),
    ]) {
      const department = await this.departments.findByCode(code);
      if (!department) throw new OrgError('NOT_FOUND', `department ${code} does not exist`);
      if (!wanted.has(department.id)) wanted.set(department.id, { primary, manager: manages.has(code) });
    }
    return wanted;
  }

  private async place(actor: OrgActor, address: string, wanted: Map<number, Placement>): Promise<void> {
    const account = (await this.accounts.findUser(address))!;
    for (const membership of await this.departments.membershipsOf(account.id)) {
      const department = await this.departments.find(membership.departmentId);
      const keep = wanted.get(membership.departmentId);
      if (department && mayWorkIn(actor, department) && !keep) await this.admin.removeMember(actor, address, membership.departmentId);
      else if (keep && keep.primary === membership.isPrimary && keep.manager === membership.isManager)
        wanted.delete(membership.departmentId);
    }
    // The primary placement first, so a secondary one never becomes primary by being first.
    for (const [departmentId, placement] of [...wanted].sort(([, a], [, b]) => Number(b.primary) - Number(a.primary))) {
      await this.admin.placeMember(actor, address, departmentId, placement.primary, placement.manager);
    }
  }

  /** What a person's entry and placement look like, to tell an unchanged row from an updated one. */
  private async snapshot(accountId: number): Promise<string> {
    const person = await this.people.find(accountId);
    if (!person) return 'none';
    return JSON.stringify([person, await this.departments.membershipsOf(accountId)]);
  }

  private async row(result: ImportResult, line: number, work: () => Promise<'created' | 'updated' | 'unchanged'>): Promise<void> {
    try {
      result[await work()]++;
    } catch (error) {
      if (!(error instanceof OrgError)) throw error;
      this.fail(result, line, error.message);
    }
  }

  private fail(result: ImportResult, line: number, message: string): void {
    if (result.errors.length < MAX_ERRORS) result.errors.push(`line ${line}: ${message}`);
  }

  private async visibleDepartments(actor: OrgActor): Promise<Department[]> {
    if (actor.kind !== 'department') return this.departments.all(actorDomains(actor));
    const subtrees = await Promise.all(actor.roots.map((root) => this.departments.subtree(root.path)));
    return [...new Map(subtrees.flat().map((department) => [department.id, department])).values()];
  }

  private async domainNames(departments: readonly Department[]): Promise<Map<number, string>> {
    const domains = await this.accounts.domainsByIds([...new Set(departments.map((department) => department.domainId))]);
    return new Map(domains.map((domain) => [domain.id, domain.name]));
  }
}
