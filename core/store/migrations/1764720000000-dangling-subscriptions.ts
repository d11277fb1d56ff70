import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Subscriptions to names without a mailbox (see DanglingSubscriptionEntity). Names are case-sensitive, as mailboxes'. */
export class DanglingSubscriptions1764720000000 implements MigrationInterface {
  name = 'DanglingSubscriptions1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isMysql = ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
    await queryRunner.createTable(
      new Table({
        name: 'dangling_subscriptions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'accountId', type: 'integer' },
          { name: 'path', type: 'varchar', length: '512', collation: isMysql ? 'utf8mb4_bin' : undefined },
        ],
        indices: [new TableIndex({ columnNames: ['accountId', 'path'], isUnique: true })],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dangling_subscriptions', true);
  }
}
