import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The highest UIDVALIDITY an account's mailboxes were ever given. A mailbox deleted and made again (or a name freed
 * and renamed onto) must get a new, larger value (RFC 3501 §2.3.1.1) even within one second and on another node;
 * the deleted mailbox's row is gone, so the value lives on the account. Starts at the highest value in use.
 */
export class UidValidityCounter1764710000000 implements MigrationInterface {
  name = 'UidValidityCounter1764710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('accounts', new TableColumn({ name: 'lastUidValidity', type: 'bigint', default: 0 }));
    const q = (name: string) => queryRunner.connection.driver.escape(name);
    await queryRunner.query(
      `UPDATE ${q('accounts')} SET ${q('lastUidValidity')} = COALESCE((SELECT MAX(m.${q('uidValidity')}) FROM ${q('mailboxes')} m ` +
        `WHERE m.${q('accountId')} = ${q('accounts')}.${q('id')}), 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('accounts', 'lastUidValidity');
  }
}
