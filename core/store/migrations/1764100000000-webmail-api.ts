import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What the GraphQL mail API needs: a (mailboxId, sentDate, id) index so a page of a large mailbox sorted by
 * date is an index range scan, the row id of expunged messages for delta sync, and uploaded attachments.
 */
export class WebmailApi1764100000000 implements MigrationInterface {
  name = 'WebmailApi1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: 'IDX_messages_mailbox_sent_date', columnNames: ['mailboxId', 'sentDate', 'id'] }),
    );
    await queryRunner.addColumn('expunge_log', new TableColumn({ name: 'messageId', type: 'integer', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'uploads',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'accountId', type: 'integer' },
          { name: 'blobId', type: 'varchar', length: '64' },
          { name: 'filename', type: 'varchar', length: '255', default: "''" },
          { name: 'contentType', type: 'varchar', length: '255', default: "''" },
          { name: 'size', type: 'bigint' },
          { name: 'createdAt', type: 'bigint' },
        ],
        indices: [new TableIndex({ columnNames: ['accountId', 'createdAt'] })],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('uploads', true);
    await queryRunner.dropColumn('expunge_log', 'messageId');
    await queryRunner.dropIndex('messages', 'IDX_messages_mailbox_sent_date');
  }
}
