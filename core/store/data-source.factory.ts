import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { MailhiveConfig } from '../config/config.schema.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { ModuleSchema } from './module-schema.js';

export type DatabaseKind = 'sqlite' | 'mysql';

export function databaseKind(config: Pick<MailhiveConfig, 'databaseUrl'>): DatabaseKind {
  return config.databaseUrl && /^(mysql|mariadb):/.test(config.databaseUrl) ? 'mysql' : 'sqlite';
}

export function dataSourceOptions(
  config: Pick<MailhiveConfig, 'databaseUrl' | 'dataDir'>,
  modules: readonly ModuleSchema[] = [],
): DataSourceOptions {
  const common = {
    entities: [...ENTITIES, ...modules.flatMap((schema) => schema.entities)],
    migrations: [...MIGRATIONS, ...modules.flatMap((schema) => schema.migrations)],
    synchronize: false,
    logging: false,
  };
  if (databaseKind(config) === 'mysql') {
    const url = new URL(config.databaseUrl!);
    return {
      ...common,
      type: 'mysql',
      host: url.hostname,
      port: Number(url.port || 3306),
      username: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.slice(1)),
      charset: 'utf8mb4_unicode_ci',
      supportBigNumbers: true,
      extra: { connectionLimit: 20 },
    };
  }
  const file = config.databaseUrl ? new URL(config.databaseUrl).pathname : join(config.dataDir, 'mailhive.sqlite');
  mkdirSync(join(file, '..'), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // WAL lets readers go on while one writer commits; NORMAL sync is durable in WAL mode except on power loss
    // mid-checkpoint, so FULL is used: an acknowledged message must survive a power cut too.
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}

/** Creates the MySQL database named in the URL when it does not exist yet, so every command works on an empty server. */
async function ensureMysqlDatabase(config: Pick<MailhiveConfig, 'databaseUrl'>): Promise<void> {
  const url = new URL(config.databaseUrl!);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new DataSource({
    type: 'mysql',
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
  await admin.initialize();
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name.replace(/`/g, '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
}

export interface DataSources {
  /** Runs write transactions. */
  writer: DataSource;
  /**
   * Serves reads. On SQLite a second connection: the writer's connection would show a transaction's rows
   * before its commit to any read that ran between two of its statements. On MySQL the same pool.
   */
  reader: DataSource;
}

/** Opens the database, creating and migrating the schema (core's and the given modules') on first use. */
export async function openDataSources(
  config: Pick<MailhiveConfig, 'databaseUrl' | 'dataDir'>,
  modules: readonly ModuleSchema[] = [],
): Promise<DataSources> {
  if (databaseKind(config) === 'mysql') await ensureMysqlDatabase(config);
  const writer = new DataSource(dataSourceOptions(config, modules));
  await writer.initialize();
  try {
    await writer.runMigrations({ transaction: 'each' });
    if (databaseKind(config) === 'mysql') return { writer, reader: writer };
    const reader = new DataSource(dataSourceOptions(config, modules));
    await reader.initialize();
    return { writer, reader };
  } catch (error) {
    await writer.destroy();
    throw error;
  }
}

export async function closeDataSources(sources: DataSources): Promise<void> {
  if (sources.reader !== sources.writer && sources.reader.isInitialized) await sources.reader.destroy();
  if (sources.writer.isInitialized) await sources.writer.destroy();
}
