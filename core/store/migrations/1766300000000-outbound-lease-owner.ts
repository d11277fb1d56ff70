import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The node holding an outbound row in `sending` (see OutboundMessageEntity.leaseOwner). */
export class OutboundLeaseOwner1766300000000 implements MigrationInterface {
  name = 'OutboundLeaseOwner1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('outbound_queue', new TableColumn({ name: 'leaseOwner', type: 'varchar', length: '36', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outbound_queue', 'leaseOwner');
  }
}
