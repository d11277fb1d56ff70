// Plain SQL for the hot paths (SMTP delivery, the counters of every change). Statements use `?` placeholders and
// backtick-quoted identifiers, which SQLite and MySQL both accept. TypeORM's query builder spends more CPU building a
// statement than SQLite spends running it, and re-reads default columns after every INSERT; here SQLite statements
// are prepared once per connection. Each DataSource on SQLite has exactly one connection, so a statement run with a
// transaction's manager belongs to that transaction. On MySQL statements go straight to mysql2's callback interface, on
// the transaction's connection or else the pool: TypeORM's wrapper costs a promise, a captured stack and a query runner
// per statement.
import type { DataSource, EntityManager } from 'typeorm';

type SqlValue = string | number | null;

export interface RunResult {
  /** Rows the statement changed (MySQL: rows it matched). */
  changes: number;
  /** The AUTOINCREMENT id of an INSERT. */
  insertId: number;
}

interface SqliteStatement {
  readonly reader: boolean;
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number | bigint };
  all(...params: SqlValue[]): unknown[];
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/** mysql2's callback interface, shared by a pool and a pooled connection. */
interface MysqlQueryable {
  query(sql: string, values: SqlValue[], callback: (error: Error | null, result: unknown) => void): void;
}

const statementCache = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/** Whether the manager's database is MySQL/MariaDB (statements differ there, e.g. upserts). */
export function isMysql(manager: EntityManager): boolean {
  return manager.connection.options.type === 'mysql';
}

/** What the database can do beyond the SQL that SQLite and MySQL 8 share. */
export interface SqlFeatures {
  /** `INSERT ... RETURNING`: SQLite 3.35 and MariaDB 10.5 have it, MySQL has not. */
  insertReturning: boolean;
}

const featureCache = new WeakMap<DataSource, Promise<SqlFeatures>>();

/** The features of the manager's database; on MySQL asked once per DataSource (the server may be MySQL or MariaDB). */
export function sqlFeatures(manager: EntityManager): Promise<SqlFeatures> {
  const source = manager.connection;
  let features = featureCache.get(source);
  if (!features) {
    features = isMysql(manager)
      ? sqlOne<{ version: string }>(manager, 'SELECT VERSION() AS `version`').then((row) => ({
          insertReturning: mariadbWithReturning(row?.version ?? ''),
        }))
      : Promise.resolve({ insertReturning: true });
    featureCache.set(source, features);
    features.catch(() => featureCache.delete(source));
  }
  return features;
}

/** Pins the features of a DataSource, so that store tests can take MySQL's path on a MariaDB server. */
export function pinSqlFeatures(source: DataSource, features: SqlFeatures): void {
  featureCache.set(source, Promise.resolve(features));
}

/**
 * Whether a MySQL-protocol server's VERSION() is MariaDB 10.5 or later ("10.11.19-MariaDB-0+deb12u1"; proxies may
 * pass on the handshake's form, "5.5.5-10.11.19-MariaDB", whose prefix only placates old MySQL clients).
 */
export function mariadbWithReturning(version: string): boolean {
  const match = /^(\d+)\.(\d+)\..*mariadb/i.exec(version.replace(/^5\.5\.5-/, ''));
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 10 || (major === 10 && minor >= 5);
}

/** Runs an INSERT, UPDATE or DELETE. */
export async function sqlRun(manager: EntityManager, sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
  if (isMysql(manager)) {
    const result = (await mysqlQuery(manager, sql, params)) as { affectedRows?: number; insertId?: number };
    return { changes: result.affectedRows ?? 0, insertId: Number(result.insertId ?? 0) };
  }
  const outcome = sqliteStatement(manager, sql).run(...params);
  return { changes: outcome.changes, insertId: Number(outcome.lastInsertRowid) };
}

/** Runs a SELECT, or a statement with RETURNING, and returns its rows. */
export async function sqlAll<T>(manager: EntityManager, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
  if (isMysql(manager)) return (await mysqlQuery(manager, sql, params)) as T[];
  return sqliteStatement(manager, sql).all(...params) as T[];
}

export async function sqlOne<T>(manager: EntityManager, sql: string, params: readonly SqlValue[] = []): Promise<T | null> {
  const rows = await sqlAll<T>(manager, sql, params);
  return rows[0] ?? null;
}

async function mysqlQuery(manager: EntityManager, sql: string, params: readonly SqlValue[]): Promise<unknown> {
  const target = manager.queryRunner
    ? await (manager.queryRunner as unknown as { connect(): Promise<MysqlQueryable> }).connect()
    : (manager.connection.driver as unknown as { pool: MysqlQueryable }).pool;
  return new Promise((resolve, reject) => {
    target.query(sql, [...params], (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function sqliteStatement(manager: EntityManager, sql: string): SqliteStatement {
  const connection = (manager.connection.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  let statements = statementCache.get(connection);
  if (!statements) {
    statements = new Map();
    statementCache.set(connection, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
