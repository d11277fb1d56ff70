import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import type { DataSources } from '../data-source.factory.js';
import { DATA_SOURCES } from '../store.tokens.js';
import type { RowSink, SnapshotRow, SnapshotTable, SnapshotValue, StoreSnapshot } from './snapshot.types.js';

/**
 * Tables a snapshot leaves out: TypeORM's migration bookkeeping (the restoring store has its own, and the backup
 * records the schema version instead) and cluster leases, which name the nodes of the server that was backed up.
 */
const LEFT_OUT = new Set(['migrations', 'typeorm_metadata', 'leases']);
/** SQLite and MySQL both bind at least this many parameters per statement (SQLite's old limit was 999). */
const MAX_PARAMETERS = 900;
const DEFAULT_BATCH = 500;

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * Reads the whole store at one point in time, and writes rows back into an empty store: what backups need, given
 * generically for every table the database has (core's and every module's) so that a backup never lags behind a
 * new table. Each snapshot and each restore has a connection of its own, so the server's reads and writes go on.
 */
@Injectable()
export class StoreSnapshotService {
  private readonly leftOut: ReadonlySet<string>;

  /** `transientTables`: module tables that are left out as well (ModuleSchema.transientTables). */
  constructor(
    @Inject(DATA_SOURCES) private readonly sources: DataSources,
    transientTables: readonly string[] = [],
  ) {
    this.leftOut = new Set([...LEFT_OUT, ...transientTables]);
  }

  private get isSqlite(): boolean {
    return this.sources.writer.options.type === 'better-sqlite3';
  }

  /**
   * Runs `work` on one consistent snapshot. SQLite in WAL mode: a read transaction on a connection of its own sees
   * the database as of its first read, whatever commits meanwhile. MySQL/MariaDB: one REPEATABLE READ transaction
   * started WITH CONSISTENT SNAPSHOT.
   */
  async read<T>(work: (snapshot: StoreSnapshot) => Promise<T>): Promise<T> {
    return this.withConnection(this.sources.reader, async (runner) => {
      if (this.isSqlite) {
        await runner.query('BEGIN');
        // The snapshot starts at the first read of the transaction, not at BEGIN.
        await runner.query('SELECT COUNT(*) FROM sqlite_master');
      } else {
        await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await runner.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      }
      try {
        const tables = await this.listTables(runner);
        const schemaVersion = await this.lastMigration(runner);
        return await work(new Snapshot(runner, tables, schemaVersion));
      } finally {
        await runner.query(this.isSqlite ? 'ROLLBACK' : 'ROLLBACK').catch(() => undefined);
      }
    });
  }

  /** The tables of the store, as a snapshot lists them. */
  async tables(): Promise<SnapshotTable[]> {
    return this.withConnection(this.sources.reader, (runner) => this.listTables(runner));
  }

  /** The name of the last migration run on this store. */
  async schemaVersion(): Promise<string> {
    return this.withConnection(this.sources.reader, (runner) => this.lastMigration(runner));
  }

  /** The first table that holds a row, or null when the store is empty (a fresh, migrated store). */
  async firstNonEmptyTable(): Promise<string | null> {
    return this.withConnection(this.sources.reader, async (runner) => {
      for (const table of await this.listTables(runner)) {
        const rows = (await runner.query(`SELECT 1 AS one FROM ${q(table.name)} LIMIT 1`)) as unknown[];
        if (rows.length > 0) return table.name;
      }
      return null;
    });
  }

  /**
   * Runs `work` in one write transaction with foreign-key checks off, so tables can be filled in any order; the
   * rows become visible together at commit, or not at all.
   */
  async restore<T>(work: (sink: RowSink) => Promise<T>): Promise<T> {
    return this.withConnection(this.sources.writer, async (runner) => {
      const tables = await this.listTables(runner);
      if (this.isSqlite) {
        // PRAGMA foreign_keys is a no-op inside a transaction: set it first.
        await runner.query('PRAGMA foreign_keys = OFF');
        await runner.query('BEGIN IMMEDIATE');
      } else {
        await runner.query('SET FOREIGN_KEY_CHECKS = 0');
        await runner.query('START TRANSACTION');
      }
      try {
        const result = await work(new Sink(runner, tables));
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await runner.query(this.isSqlite ? 'PRAGMA foreign_keys = ON' : 'SET FOREIGN_KEY_CHECKS = 1').catch(() => undefined);
      }
    });
  }

  /**
   * A connection of its own: on SQLite a second DataSource on the same file (each has exactly one connection, and
   * the server's reader must not be held in a long transaction); on MySQL a connection taken from the pool.
   */
  private async withConnection<T>(source: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    if (!this.isSqlite) {
      const runner = source.createQueryRunner();
      await runner.connect();
      try {
        return await work(runner);
      } finally {
        await runner.release();
      }
    }
    const own = new DataSource({ ...source.options, entities: [], migrations: [] });
    await own.initialize();
    const runner = own.createQueryRunner();
    try {
      return await work(runner);
    } finally {
      await runner.release();
      await own.destroy();
    }
  }

  private async listTables(runner: QueryRunner): Promise<SnapshotTable[]> {
    const tables: SnapshotTable[] = [];
    if (this.isSqlite) {
      const names = (await runner.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )) as { name: string }[];
      for (const { name } of names) {
        if (this.leftOut.has(name)) continue;
        const info = (await runner.query(`PRAGMA table_info(${q(name)})`)) as { name: string; pk: number }[];
        const primaryKey = info
          .filter((column) => column.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((column) => column.name);
        tables.push({ name, columns: info.map((column) => column.name), primaryKey });
      }
      return tables;
    }
    const columns = (await runner.query(
      'SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION',
    )) as { t: string; c: string }[];
    const keys = (await runner.query(
      "SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )) as { t: string; c: string }[];
    const byName = new Map<string, SnapshotTable>();
    for (const { t, c } of columns) {
      if (this.leftOut.has(t)) continue;
      let table = byName.get(t);
      if (!table) byName.set(t, (table = { name: t, columns: [], primaryKey: [] }));
      table.columns.push(c);
    }
    for (const { t, c } of keys) byName.get(t)?.primaryKey.push(c);
    return [...byName.values()];
  }

  private async lastMigration(runner: QueryRunner): Promise<string> {
    const rows = (await runner.query(
      `SELECT ${q('name')} AS name FROM ${q('migrations')} ORDER BY ${q('timestamp')} DESC, ${q('id')} DESC LIMIT 1`,
    )) as { name: string }[];
    return rows[0]?.name ?? '';
  }
}

class Snapshot implements StoreSnapshot {
  constructor(
    private readonly runner: QueryRunner,
    readonly tables: SnapshotTable[],
    readonly schemaVersion: string,
  ) {}

  async *rows(table: SnapshotTable, batchSize = DEFAULT_BATCH): AsyncIterable<SnapshotRow[]> {
    const select = `SELECT ${table.columns.map(q).join(', ')} FROM ${q(table.name)}`;
    const toRow = (record: Record<string, SnapshotValue>) => table.columns.map((column) => normalise(record[column]));
    if (table.primaryKey.length === 0) {
      // No key to page by: the snapshot does not move, so offsets are stable.
      for (let offset = 0; ; offset += batchSize) {
        const records = (await this.runner.query(`${select} LIMIT ${batchSize} OFFSET ${offset}`)) as Record<string, SnapshotValue>[];
        if (records.length > 0) yield records.map(toRow);
        if (records.length < batchSize) return;
      }
    }
    const order = table.primaryKey.map(q).join(', ');
    const after =
      table.primaryKey.length === 1 ? `${q(table.primaryKey[0]!)} > ?` : `(${order}) > (${table.primaryKey.map(() => '?').join(', ')})`;
    let last: SnapshotValue[] | null = null;
    for (;;) {
      const sql = `${select}${last ? ` WHERE ${after}` : ''} ORDER BY ${order} LIMIT ${batchSize}`;
      const records = (await this.runner.query(sql, last ?? [])) as Record<string, SnapshotValue>[];
      if (records.length > 0) yield records.map(toRow);
      if (records.length < batchSize) return;
      const end = records[records.length - 1]!;
      last = table.primaryKey.map((column) => end[column] ?? null);
    }
  }

  async *blobIds(batchSize = 2000): AsyncIterable<string[]> {
    let last = '';
    for (;;) {
      const records = (await this.runner.query(
        `SELECT ${q('id')} AS id FROM ${q('blobs')} WHERE ${q('refCount')} > 0 AND ${q('id')} > ? ORDER BY ${q('id')} LIMIT ${batchSize}`,
        [last],
      )) as { id: string }[];
      if (records.length > 0) yield records.map((record) => record.id);
      if (records.length < batchSize) return;
      last = records[records.length - 1]!.id;
    }
  }
}

/** Driver values as plain values: MySQL's big integers may come as strings or bigint, dates as Date. */
function normalise(value: unknown): SnapshotValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as SnapshotValue;
}

class Sink implements RowSink {
  constructor(
    private readonly runner: QueryRunner,
    readonly tables: SnapshotTable[],
  ) {}

  async insert(table: string, columns: readonly string[], rows: readonly SnapshotRow[]): Promise<void> {
    if (rows.length === 0) return;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length)));
    const head = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      await this.runner.query(head + chunk.map(() => tuple).join(', '), chunk.flat());
    }
  }
}
