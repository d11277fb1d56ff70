import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Plugins' run-time settings and their key-value and counter store. */
export class PluginTables1765400000001 implements MigrationInterface {
  name = 'PluginTables1765400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'plugin_settings',
        columns: [
          { name: 'plugin', type: 'varchar', length: '64', isPrimary: true },
          { name: 'enabled', type: 'integer', isNullable: true },
          { name: 'config', type: 'text' },
          { name: 'updatedAt', type: 'bigint', default: 0 },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'plugin_data',
        columns: [
          { name: 'plugin', type: 'varchar', length: '64', isPrimary: true },
          { name: 'name', type: 'varchar', length: '191', isPrimary: true },
          { name: 'value', type: 'text', isNullable: true },
          { name: 'counter', type: 'bigint', default: 0 },
          { name: 'expiresAt', type: 'bigint', default: 0 },
        ],
        // Expired keys are swept by time.
        indices: [new TableIndex({ columnNames: ['expiresAt'] })],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('plugin_data', true);
    await queryRunner.dropTable('plugin_settings', true);
  }
}
