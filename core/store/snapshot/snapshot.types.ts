/** One table of the store as a backup sees it: every column, and the columns of its primary key (may be empty). */
export interface SnapshotTable {
  name: string;
  columns: string[];
  primaryKey: string[];
}

/** A column value as the drivers give it: what SQLite and MySQL both store. */
export type SnapshotValue = string | number | null | Buffer;

/** A row's values in the order of its table's `columns`. */
export type SnapshotRow = SnapshotValue[];

/** One consistent point in time of the whole database, readable table by table. */
export interface StoreSnapshot {
  /** Every table with data (the migrations bookkeeping and cluster leases left out). */
  readonly tables: readonly SnapshotTable[];
  /** The name of the last migration run: the schema version the rows belong to. */
  readonly schemaVersion: string;
  /** The rows of a table in batches, ordered by primary key. */
  rows(table: SnapshotTable, batchSize?: number): AsyncIterable<SnapshotRow[]>;
  /** Ids of the blobs the snapshot's rows still reference (reference count above zero), in batches. */
  blobIds(batchSize?: number): AsyncIterable<string[]>;
}

/** Writes rows back, inside one transaction with foreign-key checks off (tables arrive in any order). */
export interface RowSink {
  readonly tables: readonly SnapshotTable[];
  /** Inserts rows whose values follow `columns` (a subset of the table's). */
  insert(table: string, columns: readonly string[], rows: readonly SnapshotRow[]): Promise<void>;
}
