import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MembershipEntity } from '../entities/membership.entity.js';
import { PersonEntity } from '../entities/person.entity.js';
import { SearchKeyEntity } from '../entities/search-key.entity.js';
import { ModuleStore } from '../../../core/module-store/module-store.service.js';
import { prefixEnd } from '../services/search-keys.js';
import { bool, num, one, placeholders, rows, type SqlValue } from '../../../core/module-store/module-sql.js';

export type Privacy = 'hidden' | 'department' | 'organisation' | 'everyone';

export interface Person {
  accountId: number;
  domainId: number;
  address: string;
  name: string;
  sortKey: string;
  title: string;
  phone: string;
  mobile: string;
  employeeNumber: string | null;
  office: string;
  privacy: Privacy;
  hidePhone: boolean;
}

/** A person in a department listing, with their place there. */
export type Member = Person & { isPrimary: boolean; isManager: boolean };

/** Who is looking: the privacy levels are judged against their account, domain and departments. */
export interface Viewer {
  accountId: number;
  domainId: number;
  departmentIds: readonly number[];
}

const COLUMNS = [
  'accountId',
  'domainId',
  'address',
  'name',
  'sortKey',
  'title',
  'phone',
  'mobile',
  'employeeNumber',
  'office',
  'privacy',
  'hidePhone',
] as const;
const SELECT = COLUMNS.map((column) => `p.\`${column}\``).join(', ');
const KEY_BATCH = 500;

type PersonRow = Record<keyof Person | 'isPrimary' | 'isManager', unknown>;

const fromRow = (row: PersonRow): Person => ({
  accountId: num(row.accountId),
  domainId: num(row.domainId),
  address: String(row.address),
  name: String(row.name),
  sortKey: String(row.sortKey),
  title: String(row.title),
  phone: String(row.phone),
  mobile: String(row.mobile),
  employeeNumber: row.employeeNumber === null ? null : String(row.employeeNumber),
  office: String(row.office),
  privacy: String(row.privacy) as Privacy,
  hidePhone: bool(row.hidePhone),
});

/**
 * The SQL condition "the viewer may see person p": their own entry; `everyone`; `organisation` within the viewer's
 * domain; `department` when they share a department. `hidden` only to themselves.
 */
function visibleTo(viewer: Viewer | null): [string, SqlValue[]] {
  if (!viewer) return ['1 = 1', []];
  const clauses = ['p.`accountId` = ?', "p.`privacy` = 'everyone'", "(p.`privacy` = 'organisation' AND p.`domainId` = ?)"];
  const params: SqlValue[] = [viewer.accountId, viewer.domainId];
  if (viewer.departmentIds.length > 0) {
    clauses.push(
      `(p.\`privacy\` = 'department' AND EXISTS (SELECT 1 FROM \`org_memberships\` v WHERE v.\`accountId\` = p.\`accountId\` AND v.\`departmentId\` IN (${placeholders(viewer.departmentIds.length)})))`,
    );
    params.push(...viewer.departmentIds);
  }
  return [`(${clauses.join(' OR ')})`, params];
}

/** People, their search keys and the directory reads (search and department pages) under the privacy levels. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly store: ModuleStore) {}

  async find(accountId: number, manager: EntityManager = this.store.reader): Promise<Person | null> {
    const row = await one<PersonRow>(manager, `SELECT ${SELECT} FROM \`org_people\` p WHERE p.\`accountId\` = ?`, [accountId]);
    return row ? fromRow(row) : null;
  }

  async findByAddress(address: string): Promise<Person | null> {
    const row = await one<PersonRow>(this.store.reader, `SELECT ${SELECT} FROM \`org_people\` p WHERE p.\`address\` = ?`, [address]);
    return row ? fromRow(row) : null;
  }

  async findByEmployeeNumber(employeeNumber: string, manager: EntityManager = this.store.reader): Promise<Person | null> {
    const row = await one<PersonRow>(manager, `SELECT ${SELECT} FROM \`org_people\` p WHERE p.\`employeeNumber\` = ?`, [employeeNumber]);
    return row ? fromRow(row) : null;
  }

  /** Writes a person and replaces their search keys, in the caller's transaction. */
  async save(manager: EntityManager, person: Person, keys: readonly string[]): Promise<void> {
    await manager.getRepository(PersonEntity).save({ ...person });
    await manager.getRepository(SearchKeyEntity).delete({ accountId: person.accountId });
    await this.insertKeys(
      manager,
      keys.map((searchKey) => ({ accountId: person.accountId, searchKey })),
    );
    await this.syncSortKeys(manager, person.accountId);
  }

  /** Recomputes the member-list order of a person's memberships (after their name or a manager flag changed). */
  async syncSortKeys(manager: EntityManager, accountId: number): Promise<void> {
    await manager.query(
      `UPDATE \`org_memberships\` SET \`sortKey\` = CONCAT(CASE WHEN \`isManager\` = 1 THEN '0' ELSE '1' END,
      (SELECT p.\`sortKey\` FROM \`org_people\` p WHERE p.\`accountId\` = \`org_memberships\`.\`accountId\`)) WHERE \`accountId\` = ?`,
      [accountId],
    );
  }

  /** Bulk insert for seeding and imports: people rows and keys in batches, no read-back. */
  async insertMany(manager: EntityManager, people: readonly { person: Person; keys: readonly string[] }[]): Promise<void> {
    for (let start = 0; start < people.length; start += KEY_BATCH) {
      const batch = people.slice(start, start + KEY_BATCH);
      await manager
        .createQueryBuilder()
        .insert()
        .into(PersonEntity)
        .values(batch.map((entry) => ({ ...entry.person })))
        .updateEntity(false)
        .execute();
      await this.insertKeys(
        manager,
        batch.flatMap((entry) => entry.keys.map((searchKey) => ({ accountId: entry.person.accountId, searchKey }))),
      );
    }
  }

  /** Bulk memberships, for seeding and imports. */
  async insertMemberships(manager: EntityManager, memberships: readonly MembershipEntity[]): Promise<void> {
    for (let start = 0; start < memberships.length; start += KEY_BATCH) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(MembershipEntity)
        .values(memberships.slice(start, start + KEY_BATCH).map((row) => ({ ...row })))
        .updateEntity(false)
        .execute();
    }
  }

  async remove(manager: EntityManager, accountId: number): Promise<void> {
    await manager.getRepository(SearchKeyEntity).delete({ accountId });
    await manager.getRepository(PersonEntity).delete({ accountId });
  }

  /**
   * People whose search keys start with `prefix`, visible to the viewer: one index range over the keys, stopped at
   * the limit (keys come in key order, so exact and short matches come first). The order is the index's own,
   * (searchKey, id), so a short prefix matching thousands of keys is never sorted.
   */
  async search(prefix: string, viewer: Viewer, limit: number): Promise<Person[]> {
    const [visible, params] = visibleTo(viewer);
    const found = await rows<PersonRow>(
      this.store.reader,
      `SELECT ${SELECT} FROM \`org_search_keys\` k JOIN \`org_people\` p ON p.\`accountId\` = k.\`accountId\`
       WHERE k.\`searchKey\` >= ? AND k.\`searchKey\` < ? AND ${visible} ORDER BY k.\`searchKey\`, k.\`id\` LIMIT ?`,
      [prefix, prefixEnd(prefix), ...params, limit * 4],
    );
    const seen = new Set<number>();
    const people: Person[] = [];
    for (const row of found) {
      const person = fromRow(row);
      if (seen.has(person.accountId)) continue;
      seen.add(person.accountId);
      people.push(person);
      if (people.length === limit) break;
    }
    return people;
  }

  /**
   * A page of a department's members visible to the viewer (everyone when null: admins), managers first, then by
   * name: a range of the (departmentId, sortKey, accountId) index, read in order and stopped at the page's end.
   */
  async members(departmentId: number, viewer: Viewer | null, offset: number, limit: number): Promise<Member[]> {
    const [visible, params] = visibleTo(viewer);
    const found = await rows<PersonRow>(
      this.store.reader,
      `SELECT ${SELECT}, m.\`isPrimary\`, m.\`isManager\` FROM \`org_memberships\` m JOIN \`org_people\` p ON p.\`accountId\` = m.\`accountId\`
       WHERE m.\`departmentId\` = ? AND ${visible} ORDER BY m.\`sortKey\`, m.\`accountId\` LIMIT ? OFFSET ?`,
      [departmentId, ...params, limit, offset],
    );
    return found.map((row) => ({ ...fromRow(row), isPrimary: bool(row.isPrimary), isManager: bool(row.isManager) }));
  }

  async member(departmentId: number, accountId: number): Promise<Member | null> {
    const row = await one<PersonRow>(
      this.store.reader,
      `SELECT ${SELECT}, m.\`isPrimary\`, m.\`isManager\` FROM \`org_memberships\` m JOIN \`org_people\` p ON p.\`accountId\` = m.\`accountId\` WHERE m.\`departmentId\` = ? AND m.\`accountId\` = ?`,
      [departmentId, accountId],
    );
    return row ? { ...fromRow(row), isPrimary: bool(row.isPrimary), isManager: bool(row.isManager) } : null;
  }

  /** Every person with their memberships, for export: in account order. */
  async allWithMemberships(
    domainIds: readonly number[] | null,
  ): Promise<(Person & { departmentId: number | null; isPrimary: boolean; isManager: boolean })[]> {
    if (domainIds && domainIds.length === 0) return [];
    const where = domainIds ? `WHERE p.\`domainId\` IN (${placeholders(domainIds.length)})` : '';
    const found = await rows<PersonRow & { departmentId: unknown }>(
      this.store.reader,
      `SELECT ${SELECT}, m.\`departmentId\`, m.\`isPrimary\`, m.\`isManager\` FROM \`org_people\` p LEFT JOIN \`org_memberships\` m ON m.\`accountId\` = p.\`accountId\`
       ${where} ORDER BY p.\`accountId\`, m.\`isPrimary\` DESC, m.\`departmentId\``,
      domainIds ?? [],
    );
    return found.map((row) => ({
      ...fromRow(row),
      departmentId: row.departmentId === null ? null : num(row.departmentId),
      isPrimary: bool(row.isPrimary),
      isManager: bool(row.isManager),
    }));
  }

  private async insertKeys(manager: EntityManager, keys: { accountId: number; searchKey: string }[]): Promise<void> {
    for (let start = 0; start < keys.length; start += KEY_BATCH) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(SearchKeyEntity)
        .values(keys.slice(start, start + KEY_BATCH))
        .updateEntity(false)
        .execute();
    }
  }
}
