import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes that let IMAP list a large mailbox without reading message rows. The rows carry the cached structure
 * and search text (several KiB each), so on MariaDB a 100,000-message listing through the (mailboxId, uid) index
 * read most of the table from disk (about 4 s). The covering index holds every light column that SELECT, FETCH
 * FLAGS/RFC822.SIZE/INTERNALDATE and flag searches need; keywords (a TEXT column, which MySQL indexes only by a
 * prefix) come from a second index that finds the few messages with any keyword (`["...`).
 */
export class ImapListingIndexes1764500000000 implements MigrationInterface {
  name = 'ImapListingIndexes1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'messages',
      new TableIndex({
        name: 'IDX_messages_imap_listing',
        columnNames: [
          'mailboxId',
          'uid',
          'modseq',
          'seen',
          'answered',
          'flagged',
          'deleted',
          'draft',
          'size',
          'internalDate',
          'sentDate',
          'blobId',
        ],
      }),
    );
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
      await queryRunner.query('CREATE INDEX "IDX_messages_keywords" ON "messages" ("mailboxId", "keywords")');
    } else {
      await queryRunner.query('CREATE INDEX `IDX_messages_keywords` ON `messages` (`mailboxId`, `keywords`(32))');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', 'IDX_messages_keywords');
    await queryRunner.dropIndex('messages', 'IDX_messages_imap_listing');
  }
}
