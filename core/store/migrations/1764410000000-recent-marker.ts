import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The per-mailbox \Recent marker of IMAP4rev1. Existing mailboxes start with everything already seen, so an upgrade
 * does not make every stored message recent again.
 */
export class RecentMarker1764410000000 implements MigrationInterface {
  name = 'RecentMarker1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('mailboxes', new TableColumn({ name: 'recentUid', type: 'bigint', default: 0 }));
    const q = (name: string) => queryRunner.connection.driver.escape(name);
    await queryRunner.query(`UPDATE ${q('mailboxes')} SET ${q('recentUid')} = ${q('uidNext')} - 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('mailboxes', 'recentUid');
  }
}
