import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** TOTP secrets, their one-time recovery codes (hashed) and each domain's requirement of a second factor. */
export class TwoFactor1766400000000 implements MigrationInterface {
  name = 'TwoFactor1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'second_factors',
        columns: [
          { name: 'accountId', type: 'integer', isPrimary: true },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'confirmedAt', type: 'bigint', default: 0 },
          { name: 'lastStep', type: 'bigint', default: 0 },
          { name: 'createdAt', type: 'bigint' },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'recovery_codes',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'accountId', type: 'integer' },
          { name: 'codeHash', type: 'varchar', length: '64' },
          { name: 'usedAt', type: 'bigint', default: 0 },
        ],
        indices: [new TableIndex({ columnNames: ['accountId', 'codeHash'], isUnique: true })],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'domain_security',
        columns: [
          { name: 'domainId', type: 'integer', isPrimary: true },
          { name: 'requireTwoFactor', type: 'boolean', default: false },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('domain_security', true);
    await queryRunner.dropTable('recovery_codes', true);
    await queryRunner.dropTable('second_factors', true);
  }
}
