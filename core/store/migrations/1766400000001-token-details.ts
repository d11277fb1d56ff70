import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * App passwords name the protocols they open (IMAP, POP3, SMTP; those made before open all three) and keep the
 * client address of their last use beside its time; sessions keep the address and browser they were opened from.
 */
export class TokenDetails1766400000001 implements MigrationInterface {
  name = 'TokenDetails1766400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('access_tokens', [
      new TableColumn({ name: 'protocols', type: 'varchar', length: '64', default: "'imap,pop3,smtp'" }),
      new TableColumn({ name: 'lastAddress', type: 'varchar', length: '64', default: "''" }),
      new TableColumn({ name: 'userAgent', type: 'varchar', length: '200', default: "''" }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('access_tokens', 'userAgent');
    await queryRunner.dropColumn('access_tokens', 'lastAddress');
    await queryRunner.dropColumn('access_tokens', 'protocols');
  }
}
