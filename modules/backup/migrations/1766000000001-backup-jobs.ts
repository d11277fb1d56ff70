import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The backup module's tables. `backup_jobs`: every backup, verify and restore job of every node, with its progress
 * and result, for the history WebAdmin shows; a scheduled job carries the time it was scheduled for, unique, so that
 * of several nodes firing the same schedule exactly one runs it. `backup_schedule`: the one schedule (row id 1).
 */
export class BackupJobs1766000000001 implements MigrationInterface {
  name = 'BackupJobs1766000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'backup_jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'location', type: 'varchar', length: '1000' },
          { name: 'backupId', type: 'varchar', length: '64', isNullable: true },
          { name: 'startedAt', type: 'bigint' },
          { name: 'finishedAt', type: 'bigint', isNullable: true },
          { name: 'heartbeatAt', type: 'bigint' },
          { name: 'items', type: 'bigint', default: 0 },
          { name: 'bytes', type: 'bigint', default: 0 },
          { name: 'result', type: 'varchar', length: '1000', isNullable: true },
          { name: 'startedBy', type: 'varchar', length: '320' },
          { name: 'scheduledFor', type: 'bigint', isNullable: true },
        ],
      }),
      true,
    );
    await queryRunner.createIndex('backup_jobs', new TableIndex({ name: 'IDX_backup_jobs_started', columnNames: ['startedAt'] }));
    await queryRunner.createIndex(
      'backup_jobs',
      new TableIndex({ name: 'IDX_backup_jobs_scheduled', columnNames: ['scheduledFor'], isUnique: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'backup_schedule',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'enabled', type: 'integer', default: 0 },
          { name: 'fullCron', type: 'varchar', length: '100' },
          { name: 'incrementalCron', type: 'varchar', length: '100', default: "''" },
          { name: 'location', type: 'varchar', length: '1000' },
          { name: 'keyFile', type: 'varchar', length: '1000', default: "''" },
          { name: 'keepFull', type: 'integer', default: 0 },
          { name: 'keepDays', type: 'integer', default: 0 },
          { name: 'updatedAt', type: 'bigint' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('backup_schedule', true);
    await queryRunner.dropTable('backup_jobs', true);
  }
}
