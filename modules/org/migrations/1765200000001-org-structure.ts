import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The organisation module's tables: departments (a tree kept as materialised id paths), people, memberships,
 * department admins, precomputed search keys and the named senders of department lists. Paths and search keys are
 * compared as bytes (utf8mb4_bin on MySQL, as SQLite does) so a prefix is an index range on both databases.
 */
export class OrgStructure1765200000001 implements MigrationInterface {
  name = 'OrgStructure1765200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const binary = ['mysql', 'mariadb'].includes(queryRunner.connection.options.type) ? 'utf8mb4_bin' : undefined;
    await queryRunner.createTable(
      new Table({
        name: 'org_departments',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'domainId', type: 'integer' },
          { name: 'parentId', type: 'integer', isNullable: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'code', type: 'varchar', length: '64', isNullable: true, isUnique: true },
          { name: 'sortOrder', type: 'integer', default: 0 },
          { name: 'description', type: 'varchar', length: '1000', default: "''" },
          { name: 'path', type: 'varchar', length: '512', collation: binary },
          { name: 'listAddress', type: 'varchar', length: '320', isNullable: true, isUnique: true },
          { name: 'listRecursive', type: 'boolean', default: false },
          { name: 'listPrimaryOnly', type: 'boolean', default: false },
          { name: 'listPolicy', type: 'varchar', length: '16', default: "'anyone'" },
          { name: 'listAction', type: 'varchar', length: '16', default: "'refuse'" },
        ],
        indices: [
          new TableIndex({ name: 'IDX_org_departments_parent', columnNames: ['parentId', 'sortOrder'] }),
          new TableIndex({ name: 'IDX_org_departments_path', columnNames: ['path'] }),
          new TableIndex({ name: 'IDX_org_departments_domain', columnNames: ['domainId', 'parentId'] }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'org_people',
        columns: [
          { name: 'accountId', type: 'integer', isPrimary: true },
          { name: 'domainId', type: 'integer' },
          { name: 'address', type: 'varchar', length: '320' },
          { name: 'name', type: 'varchar', length: '200', default: "''" },
          { name: 'sortKey', type: 'varchar', length: '400', default: "''" },
          { name: 'title', type: 'varchar', length: '200', default: "''" },
          { name: 'phone', type: 'varchar', length: '64', default: "''" },
          { name: 'mobile', type: 'varchar', length: '64', default: "''" },
          { name: 'employeeNumber', type: 'varchar', length: '64', isNullable: true, isUnique: true },
          { name: 'office', type: 'varchar', length: '200', default: "''" },
          { name: 'privacy', type: 'varchar', length: '16', default: "'organisation'" },
          { name: 'hidePhone', type: 'boolean', default: false },
        ],
        indices: [new TableIndex({ name: 'IDX_org_people_domain', columnNames: ['domainId'] })],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'org_memberships',
        columns: [
          { name: 'departmentId', type: 'integer', isPrimary: true },
          { name: 'accountId', type: 'integer', isPrimary: true },
          { name: 'isPrimary', type: 'boolean', default: false },
          { name: 'isManager', type: 'boolean', default: false },
          { name: 'sortKey', type: 'varchar', length: '200', default: "''", collation: binary },
        ],
        indices: [
          new TableIndex({ name: 'IDX_org_memberships_account', columnNames: ['accountId'] }),
          new TableIndex({ name: 'IDX_org_memberships_page', columnNames: ['departmentId', 'sortKey', 'accountId'] }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'org_department_admins',
        columns: [
          { name: 'accountId', type: 'integer', isPrimary: true },
          { name: 'departmentId', type: 'integer', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_org_department_admins_department', columnNames: ['departmentId'] })],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'org_search_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'accountId', type: 'integer' },
          { name: 'searchKey', type: 'varchar', length: '200', collation: binary },
        ],
        indices: [
          new TableIndex({ name: 'IDX_org_search_keys_key', columnNames: ['searchKey'] }),
          new TableIndex({ name: 'IDX_org_search_keys_account', columnNames: ['accountId'] }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'org_list_senders',
        columns: [
          { name: 'departmentId', type: 'integer', isPrimary: true },
          { name: 'address', type: 'varchar', length: '320', isPrimary: true },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'org_list_senders',
      'org_search_keys',
      'org_department_admins',
      'org_memberships',
      'org_people',
      'org_departments',
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
