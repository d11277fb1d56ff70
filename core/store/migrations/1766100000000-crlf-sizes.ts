import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Each message's size and line count with CRLF line ends, so that POP3 LIST, STAT and UIDL answer from rows instead
 * of reading every blob of the maildrop after each restart. Messages delivered from now on get them at delivery;
 * rows already stored keep null until a POP3 session measures their blob once and writes the values back (a
 * migration cannot read the blob store, which may be S3).
 */
export class CrlfSizes1766100000000 implements MigrationInterface {
  name = 'CrlfSizes1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('messages', [
      new TableColumn({ name: 'crlfSize', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'lineCount', type: 'integer', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('messages', 'lineCount');
    await queryRunner.dropColumn('messages', 'crlfSize');
  }
}
