import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

/**
 * Which database the store and end-to-end tests run on: `MAILHIVE_TEST_DB=mariadb` selects the MariaDB at
 * MAILHIVE_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306); anything else SQLite.
 */
export const TEST_DB: 'sqlite' | 'mariadb' = process.env.MAILHIVE_TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';

const MYSQL_SERVER = process.env.MAILHIVE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  /** MAILHIVE_DATABASE_URL for the test, or null for SQLite in the data dir. */
  url: string | null;
  drop(): Promise<void>;
}

/** A database of the test's own: on MariaDB a fresh uniquely named database dropped afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DB === 'sqlite') return { url: null, drop: async () => undefined };
  const name = `mailhive_t_${randomBytes(6).toString('hex')}`;
  const url = `${MYSQL_SERVER.replace(/\/$/, '')}/${name}`;
  return {
    url,
    drop: async () => {
      const server = new URL(MYSQL_SERVER);
      const admin = new DataSource({
        type: 'mysql',
        host: server.hostname,
        port: Number(server.port || 3306),
        username: server.username || 'root',
        password: server.password,
      });
      await admin.initialize();
      try {
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.destroy();
      }
    },
  };
}
