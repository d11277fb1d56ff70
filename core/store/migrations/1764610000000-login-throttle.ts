import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Login failure counters shared by every node: one row per (login name, client network) pair and one per client
 * network, keyed by a SHA-256 of the scope so a client-chosen name cannot make a key long. `subject` (the normalised
 * login name, empty for a network row) lets a password reset lift the account's locks. The lockout columns of
 * `accounts` are no longer read: locks are per pair now, so nobody can lock an account for everyone.
 */
export class LoginThrottle1764610000000 implements MigrationInterface {
  name = 'LoginThrottle1764610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'login_throttle',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'subject', type: 'varchar', length: '320', default: "''" },
          { name: 'failures', type: 'integer', default: 0 },
          { name: 'lockouts', type: 'integer', default: 0 },
          { name: 'lockedUntil', type: 'bigint', default: 0 },
          { name: 'updatedAt', type: 'bigint', default: 0 },
        ],
        indices: [new TableIndex({ columnNames: ['subject'] }), new TableIndex({ columnNames: ['updatedAt'] })],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_throttle', true);
  }
}
