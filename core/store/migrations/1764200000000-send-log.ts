import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** One row per message a user sent in the last hour, so the sending rate limit holds across nodes and protocols. */
export class SendLog1764200000000 implements MigrationInterface {
  name = 'SendLog1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'send_log',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'accountId', type: 'integer' },
          { name: 'sentAt', type: 'bigint' },
        ],
        indices: [new TableIndex({ columnNames: ['accountId', 'sentAt'] })],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('send_log', true);
  }
}
