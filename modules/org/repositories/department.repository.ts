import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DepartmentAdminEntity } from '../entities/department-admin.entity.js';
import { DepartmentEntity } from '../entities/department.entity.js';
import { ListSenderEntity } from '../entities/list-sender.entity.js';
import { MembershipEntity } from '../entities/membership.entity.js';
import { ModuleStore } from '../../../core/module-store/module-store.service.js';
import { prefixEnd } from '../services/search-keys.js';
import { bool, num, one, placeholders, rows } from '../../../core/module-store/module-sql.js';

export type ListPolicy = 'anyone' | 'organisation' | 'members' | 'senders';
/** What happens to a message that breaks the policy: refused at RCPT now; `hold` (moderation) is planned. */
export type ListAction = 'refuse';

export interface Department {
  id: number;
  domainId: number;
  parentId: number | null;
  name: string;
  code: string | null;
  sortOrder: number;
  description: string;
  path: string;
  listAddress: string | null;
  listRecursive: boolean;
  listPrimaryOnly: boolean;
  listPolicy: ListPolicy;
  listAction: ListAction;
}

export type DepartmentFields = Pick<Department, 'name' | 'code' | 'sortOrder' | 'description'>;
export type ListSettings = Pick<Department, 'listAddress' | 'listRecursive' | 'listPrimaryOnly' | 'listPolicy' | 'listAction'>;

const COLUMNS =
  '`id`, `domainId`, `parentId`, `name`, `code`, `sortOrder`, `description`, `path`, `listAddress`, `listRecursive`, `listPrimaryOnly`, `listPolicy`, `listAction`';

type DepartmentRow = Record<keyof Department, unknown>;

const fromRow = (row: DepartmentRow): Department => ({
  id: num(row.id),
  domainId: num(row.domainId),
  parentId: row.parentId === null ? null : num(row.parentId),
  name: String(row.name),
  code: row.code === null ? null : String(row.code),
  sortOrder: num(row.sortOrder),
  description: String(row.description),
  path: String(row.path),
  listAddress: row.listAddress === null ? null : String(row.listAddress),
  listRecursive: bool(row.listRecursive),
  listPrimaryOnly: bool(row.listPrimaryOnly),
  listPolicy: String(row.listPolicy) as ListPolicy,
  listAction: String(row.listAction) as ListAction,
});

/** The department tree, memberships, department admins and list settings: every statement on those tables. */
@Injectable()
export class DepartmentRepository {
  constructor(private readonly store: ModuleStore) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }

  async find(id: number, manager: EntityManager = this.store.reader): Promise<Department | null> {
    const row = await one<DepartmentRow>(manager, `SELECT ${COLUMNS} FROM \`org_departments\` WHERE \`id\` = ?`, [id]);
    return row ? fromRow(row) : null;
  }

  async findByCode(code: string, manager: EntityManager = this.store.reader): Promise<Department | null> {
    const row = await one<DepartmentRow>(manager, `SELECT ${COLUMNS} FROM \`org_departments\` WHERE \`code\` = ?`, [code]);
    return row ? fromRow(row) : null;
  }

  /** Every department list address with its department id. */
  async listAddresses(): Promise<Map<string, number>> {
    const found = await rows<{ id: unknown; listAddress: string }>(
      this.store.reader,
      'SELECT `id`, `listAddress` FROM `org_departments` WHERE `listAddress` IS NOT NULL',
    );
    return new Map(found.map((row) => [row.listAddress, num(row.id)]));
  }

  async findByListAddress(address: string): Promise<Department | null> {
    const row = await one<DepartmentRow>(this.store.reader, `SELECT ${COLUMNS} FROM \`org_departments\` WHERE \`listAddress\` = ?`, [
      address,
    ]);
    return row ? fromRow(row) : null;
  }

  /** Children of `parentId` (roots when null) in the given domains (every domain when null), in display order. */
  async children(parentId: number | null, domainIds: readonly number[] | null): Promise<Department[]> {
    const where = [parentId === null ? '`parentId` IS NULL' : '`parentId` = ?'];
    const params: number[] = parentId === null ? [] : [parentId];
    if (domainIds) {
      if (domainIds.length === 0) return [];
      where.push(`\`domainId\` IN (${placeholders(domainIds.length)})`);
      params.push(...domainIds);
    }
    const found = await rows<DepartmentRow>(
      this.store.reader,
      `SELECT ${COLUMNS} FROM \`org_departments\` WHERE ${where.join(' AND ')} ORDER BY \`sortOrder\`, \`name\`, \`id\``,
      params,
    );
    return found.map(fromRow);
  }

  /** Every department whose path starts with `path` (the department itself included), in tree order. */
  async subtree(path: string, manager: EntityManager = this.store.reader): Promise<Department[]> {
    const found = await rows<DepartmentRow>(
      manager,
      `SELECT ${COLUMNS} FROM \`org_departments\` WHERE \`path\` >= ? AND \`path\` < ? ORDER BY \`path\``,
      [path, prefixEnd(path)],
    );
    return found.map(fromRow);
  }

  async all(domainIds: readonly number[] | null): Promise<Department[]> {
    if (domainIds && domainIds.length === 0) return [];
    const where = domainIds ? `WHERE \`domainId\` IN (${placeholders(domainIds.length)})` : '';
    return (
      await rows<DepartmentRow>(this.store.reader, `SELECT ${COLUMNS} FROM \`org_departments\` ${where} ORDER BY \`path\``, domainIds ?? [])
    ).map(fromRow);
  }

  async insert(manager: EntityManager, domainId: number, parent: Department | null, fields: DepartmentFields): Promise<number> {
    const result = await manager.getRepository(DepartmentEntity).insert({ domainId, parentId: parent?.id ?? null, ...fields, path: '' });
    const id = num(result.identifiers[0]!.id);
    await manager.getRepository(DepartmentEntity).update({ id }, { path: `${parent?.path ?? '/'}${id}/` });
    return id;
  }

  async update(manager: EntityManager, id: number, fields: Partial<DepartmentFields & ListSettings>): Promise<void> {
    await manager.getRepository(DepartmentEntity).update({ id }, fields);
  }

  /** Moves a subtree under `parent` (to the roots when null): one parent change and one path rewrite of the range. */
  async move(manager: EntityManager, department: Department, parent: Department | null): Promise<void> {
    const newPath = `${parent?.path ?? '/'}${department.id}/`;
    await manager.getRepository(DepartmentEntity).update({ id: department.id }, { parentId: parent?.id ?? null });
    await manager.query('UPDATE `org_departments` SET `path` = CONCAT(?, SUBSTR(`path`, ?)) WHERE `path` >= ? AND `path` < ?', [
      newPath,
      department.path.length + 1,
      department.path,
      prefixEnd(department.path),
    ]);
  }

  async childCount(id: number, manager: EntityManager = this.store.reader): Promise<number> {
    return num((await one<{ n: unknown }>(manager, 'SELECT COUNT(*) AS `n` FROM `org_departments` WHERE `parentId` = ?', [id]))?.n ?? 0);
  }

  async memberCount(id: number, manager: EntityManager = this.store.reader): Promise<number> {
    return num(
      (await one<{ n: unknown }>(manager, 'SELECT COUNT(*) AS `n` FROM `org_memberships` WHERE `departmentId` = ?', [id]))?.n ?? 0,
    );
  }

  /** Deletes a department without children; its members move to `moveTo` (keeping their primary flag) when given. */
  async remove(manager: EntityManager, id: number, moveTo: number | null): Promise<void> {
    if (moveTo !== null) {
      // Members already in the target keep their row there (primary if it was primary here); the rest move.
      await manager.query(
        'UPDATE `org_memberships` SET `isPrimary` = 1 WHERE `departmentId` = ? AND `accountId` IN (SELECT `accountId` FROM (SELECT `accountId` FROM `org_memberships` WHERE `departmentId` = ? AND `isPrimary` = 1) AS `t`)',
        [moveTo, id],
      );
      await manager.query(
        'DELETE FROM `org_memberships` WHERE `departmentId` = ? AND `accountId` IN (SELECT `accountId` FROM (SELECT `accountId` FROM `org_memberships` WHERE `departmentId` = ?) AS `t`)',
        [id, moveTo],
      );
      await manager.query('UPDATE `org_memberships` SET `departmentId` = ? WHERE `departmentId` = ?', [moveTo, id]);
    }
    await manager.getRepository(MembershipEntity).delete({ departmentId: id });
    await manager.getRepository(DepartmentAdminEntity).delete({ departmentId: id });
    await manager.getRepository(ListSenderEntity).delete({ departmentId: id });
    await manager.getRepository(DepartmentEntity).delete({ id });
  }

  // Memberships

  async membershipsOf(
    accountId: number,
    manager: EntityManager = this.store.reader,
  ): Promise<{ departmentId: number; isPrimary: boolean; isManager: boolean }[]> {
    const found = await rows<Record<string, unknown>>(
      manager,
      'SELECT `departmentId`, `isPrimary`, `isManager` FROM `org_memberships` WHERE `accountId` = ? ORDER BY `isPrimary` DESC, `departmentId`',
      [accountId],
    );
    return found.map((row) => ({ departmentId: num(row.departmentId), isPrimary: bool(row.isPrimary), isManager: bool(row.isManager) }));
  }

  /** Places a person in a department; a primary placement makes every other membership of theirs secondary. */
  async place(manager: EntityManager, accountId: number, departmentId: number, primary: boolean, manager_: boolean): Promise<void> {
    if (primary) await manager.getRepository(MembershipEntity).update({ accountId }, { isPrimary: false });
    const memberships = manager.getRepository(MembershipEntity);
    if (await memberships.findOneBy({ accountId, departmentId }))
      await memberships.update({ accountId, departmentId }, { isPrimary: primary, isManager: manager_ });
    else await memberships.insert({ accountId, departmentId, isPrimary: primary, isManager: manager_ });
  }

  async unplace(manager: EntityManager, accountId: number, departmentId: number): Promise<boolean> {
    return ((await manager.getRepository(MembershipEntity).delete({ accountId, departmentId })).affected ?? 0) > 0;
  }

  async removePerson(manager: EntityManager, accountId: number): Promise<void> {
    await manager.getRepository(MembershipEntity).delete({ accountId });
    await manager.getRepository(DepartmentAdminEntity).delete({ accountId });
  }

  /** Whether the account is a member of any of the departments `listMembersSql` selects for this list. */
  async isListMember(list: Department, accountId: number): Promise<boolean> {
    const [sql, params] = this.listMembershipSql(list);
    return !!(await one(
      this.store.reader,
      `SELECT 1 AS \`found\` FROM \`org_memberships\` m WHERE ${sql} AND m.\`accountId\` = ? LIMIT 1`,
      [...params, accountId],
    ));
  }

  /** Whether the account manages a department the list reaches (its own, and with a recursive list every one below it). */
  async isListManager(list: Department, accountId: number): Promise<boolean> {
    const [sql, params] = this.listMembershipSql({ ...list, listPrimaryOnly: false });
    return !!(await one(
      this.store.reader,
      `SELECT 1 AS \`found\` FROM \`org_memberships\` m WHERE ${sql} AND m.\`accountId\` = ? AND m.\`isManager\` = 1 LIMIT 1`,
      [...params, accountId],
    ));
  }

  /** The addresses a department list expands to, each once: one indexed statement whatever the list's size. */
  async listMemberAddresses(list: Department): Promise<string[]> {
    const [sql, params] = this.listMembershipSql(list);
    const found = await rows<{ address: string }>(
      this.store.reader,
      `SELECT DISTINCT p.\`address\` FROM \`org_memberships\` m JOIN \`org_people\` p ON p.\`accountId\` = m.\`accountId\` WHERE ${sql}`,
      params,
    );
    return found.map((row) => row.address);
  }

  private listMembershipSql(list: Department): [string, (string | number)[]] {
    const scope = list.listRecursive
      ? ([
          'm.`departmentId` IN (SELECT `id` FROM `org_departments` WHERE `path` >= ? AND `path` < ?)',
          [list.path, prefixEnd(list.path)],
        ] as const)
      : (['m.`departmentId` = ?', [list.id]] as const);
    return [list.listPrimaryOnly ? `${scope[0]} AND m.\`isPrimary\` = 1` : scope[0], [...scope[1]]];
  }

  // Department admins and list senders

  async adminDepartments(accountId: number): Promise<Department[]> {
    const found = await rows<DepartmentRow>(
      this.store.reader,
      `SELECT ${COLUMNS.replace(/`(\w+)`/g, 'd.`$1`')} FROM \`org_department_admins\` a JOIN \`org_departments\` d ON d.\`id\` = a.\`departmentId\` WHERE a.\`accountId\` = ?`,
      [accountId],
    );
    return found.map(fromRow);
  }

  async admins(departmentId: number): Promise<number[]> {
    return (
      await rows<{ accountId: unknown }>(
        this.store.reader,
        'SELECT `accountId` FROM `org_department_admins` WHERE `departmentId` = ? ORDER BY `accountId`',
        [departmentId],
      )
    ).map((row) => num(row.accountId));
  }

  async setAdmins(manager: EntityManager, departmentId: number, accountIds: readonly number[]): Promise<void> {
    await manager.getRepository(DepartmentAdminEntity).delete({ departmentId });
    if (accountIds.length > 0)
      await manager.getRepository(DepartmentAdminEntity).insert(accountIds.map((accountId) => ({ accountId, departmentId })));
  }

  async listSenders(departmentId: number): Promise<string[]> {
    return (
      await rows<{ address: string }>(
        this.store.reader,
        'SELECT `address` FROM `org_list_senders` WHERE `departmentId` = ? ORDER BY `address`',
        [departmentId],
      )
    ).map((row) => row.address);
  }

  async isListSender(departmentId: number, address: string): Promise<boolean> {
    return !!(await one(this.store.reader, 'SELECT 1 AS `found` FROM `org_list_senders` WHERE `departmentId` = ? AND `address` = ?', [
      departmentId,
      address,
    ]));
  }

  async setListSenders(manager: EntityManager, departmentId: number, addresses: readonly string[]): Promise<void> {
    await manager.getRepository(ListSenderEntity).delete({ departmentId });
    if (addresses.length > 0) await manager.getRepository(ListSenderEntity).insert(addresses.map((address) => ({ departmentId, address })));
  }
}
