import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `webmail_settings`: each user's webmail preferences (language, time zone, list density, reading pane, signatures,
 * sending identities), one row per account and setting, the value as JSON.
 */
export class WebmailSettings1766500000001 implements MigrationInterface {
  name = 'WebmailSettings1766500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webmail_settings',
        columns: [
          { name: 'accountId', type: 'bigint', isPrimary: true },
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'updatedAt', type: 'bigint' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webmail_settings', true);
  }
}
