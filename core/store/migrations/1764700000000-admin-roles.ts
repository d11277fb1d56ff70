import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * WebAdmin's first slice. Accounts gain the protocols they may log in with and an expiry date; the indexes let the
 * admin user table sort and page 10,000 users without reading every row. `admin_scopes` holds what a domain admin
 * (later a department admin) may administer: one row per (admin, kind, target), so a scope is a set of domains and
 * departments. The audit log gains the actor's role, the client address and the domain the action touched, which
 * bounds a domain admin's view of it by an index.
 */
export class AdminRoles1764700000000 implements MigrationInterface {
  name = 'AdminRoles1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('accounts', [
      new TableColumn({ name: 'protocols', type: 'varchar', length: '64', default: "'smtp,imap,pop3,webmail,mobile'" }),
      new TableColumn({ name: 'expiresAt', type: 'bigint', default: 0 }),
    ]);
    await queryRunner.createIndices('accounts', [
      new TableIndex({ name: 'IDX_accounts_domain_address', columnNames: ['domainId', 'address'] }),
      new TableIndex({ name: 'IDX_accounts_display_name', columnNames: ['displayName'] }),
      new TableIndex({ name: 'IDX_accounts_created_at', columnNames: ['createdAt'] }),
      new TableIndex({ name: 'IDX_accounts_used_bytes', columnNames: ['usedBytes'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'admin_scopes',
        columns: [
          { name: 'accountId', type: 'integer', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16', isPrimary: true },
          { name: 'targetId', type: 'integer', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_admin_scopes_target', columnNames: ['kind', 'targetId'] })],
      }),
      true,
    );
    await queryRunner.addColumns('audit_log', [
      new TableColumn({ name: 'actorRole', type: 'varchar', length: '20', default: "''" }),
      new TableColumn({ name: 'clientAddress', type: 'varchar', length: '64', default: "''" }),
      new TableColumn({ name: 'domainId', type: 'integer', isNullable: true }),
    ]);
    await queryRunner.createIndices('audit_log', [
      new TableIndex({ name: 'IDX_audit_log_domain', columnNames: ['domainId', 'id'] }),
      new TableIndex({ name: 'IDX_audit_log_actor', columnNames: ['actor', 'id'] }),
      new TableIndex({ name: 'IDX_audit_log_action', columnNames: ['action', 'id'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['IDX_audit_log_action', 'IDX_audit_log_actor', 'IDX_audit_log_domain'])
      await queryRunner.dropIndex('audit_log', name);
    await queryRunner.dropColumns('audit_log', ['domainId', 'clientAddress', 'actorRole']);
    await queryRunner.dropTable('admin_scopes', true);
    for (const name of ['IDX_accounts_used_bytes', 'IDX_accounts_created_at', 'IDX_accounts_display_name', 'IDX_accounts_domain_address']) {
      await queryRunner.dropIndex('accounts', name);
    }
    await queryRunner.dropColumns('accounts', ['expiresAt', 'protocols']);
  }
}
