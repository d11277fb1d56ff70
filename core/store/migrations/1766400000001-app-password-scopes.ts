import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * App passwords name the protocols they open (IMAP, POP3, SMTP; those made before open all three) and keep the
 * client address of their last use beside its time.
 */
export class AppPasswordScopes1766400000001 implements MigrationInterface {
  name = 'AppPasswordScopes1766400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('access_tokens', [
      new TableColumn({ name: 'protocols', type: 'varchar', length: '64', default: "'imap,pop3,smtp'" }),
      new TableColumn({ name: 'lastAddress', type: 'varchar', length: '64', default: "''" }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('access_tokens', 'lastAddress');
    await queryRunner.dropColumn('access_tokens', 'protocols');
  }
}
