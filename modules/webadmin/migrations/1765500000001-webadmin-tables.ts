import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * WebAdmin's own tables. `webadmin_settings`: the settings an admin changes at run time (host name, send limits,
 * greeting pause, banners), one row per key. `webadmin_stats`: dashboard counters per minute, hour and day, each
 * period pruned to its own horizon so the table stays small. `webadmin_top`: per day, messages by sender and by
 * receiver. `webadmin_delivery_log`: what happened to each message for the message trace, pruned by age.
 */
export class WebadminTables1765500000001 implements MigrationInterface {
  name = 'WebadminTables1765500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webadmin_settings',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'varchar', length: '2000' },
          { name: 'updatedAt', type: 'bigint' },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'webadmin_stats',
        columns: [
          { name: 'period', type: 'varchar', length: '8', isPrimary: true },
          { name: 'metric', type: 'varchar', length: '32', isPrimary: true },
          { name: 'bucket', type: 'bigint', isPrimary: true },
          { name: 'count', type: 'bigint', default: 0 },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'webadmin_top',
        columns: [
          { name: 'day', type: 'bigint', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '8', isPrimary: true },
          { name: 'address', type: 'varchar', length: '320', isPrimary: true },
          { name: 'count', type: 'bigint', default: 0 },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'webadmin_delivery_log',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'at', type: 'bigint' },
          { name: 'event', type: 'varchar', length: '16' },
          { name: 'sender', type: 'varchar', length: '320', default: "''" },
          { name: 'recipient', type: 'varchar', length: '320', default: "''" },
          { name: 'messageId', type: 'varchar', length: '255', default: "''" },
          { name: 'subject', type: 'varchar', length: '255', default: "''" },
          { name: 'detail', type: 'varchar', length: '500', default: "''" },
        ],
        indices: [
          new TableIndex({ name: 'IDX_webadmin_delivery_log_at', columnNames: ['at'] }),
          new TableIndex({ name: 'IDX_webadmin_delivery_log_sender', columnNames: ['sender', 'at'] }),
          new TableIndex({ name: 'IDX_webadmin_delivery_log_recipient', columnNames: ['recipient', 'at'] }),
          new TableIndex({ name: 'IDX_webadmin_delivery_log_message_id', columnNames: ['messageId'] }),
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['webadmin_delivery_log', 'webadmin_top', 'webadmin_stats', 'webadmin_settings'])
      await queryRunner.dropTable(name, true);
  }
}
