import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** RFC 3461 parameters kept with each outbound queue row, and when its delayed DSN was sent. */
export class OutboundDsn1764300000000 implements MigrationInterface {
  name = 'OutboundDsn1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('outbound_queue', [
      new TableColumn({ name: 'dsnRet', type: 'varchar', length: '4', isNullable: true }),
      new TableColumn({ name: 'dsnEnvid', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'dsnRecipients', type: 'text', isNullable: true }),
      new TableColumn({ name: 'delayNotifiedAt', type: 'bigint', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['delayNotifiedAt', 'dsnRecipients', 'dsnEnvid', 'dsnRet']) await queryRunner.dropColumn('outbound_queue', column);
  }
}
