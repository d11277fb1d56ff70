// What the backup module needs from the core, described here so that the module imports neither the store nor the
// blob store: the composition root hands it core's StoreSnapshotService and BlobStore, which fit these shapes.

export interface SourceTable {
  name: string;
  columns: string[];
  primaryKey: string[];
}

export type SourceValue = string | number | null | Buffer;
export type SourceRow = SourceValue[];

/** One consistent point in time of the whole database. */
export interface SourceSnapshot {
  readonly tables: readonly SourceTable[];
  readonly schemaVersion: string;
  rows(table: SourceTable, batchSize?: number): AsyncIterable<SourceRow[]>;
  blobIds(batchSize?: number): AsyncIterable<string[]>;
}

export interface RowWriter {
  readonly tables: readonly SourceTable[];
  insert(table: string, columns: readonly string[], rows: readonly SourceRow[]): Promise<void>;
}

/** Core's snapshot service: a consistent read of every table, and a transactional write into an empty store. */
export interface SnapshotSource {
  read<T>(work: (snapshot: SourceSnapshot) => Promise<T>): Promise<T>;
  schemaVersion(): Promise<string>;
  firstNonEmptyTable(): Promise<string | null>;
  restore<T>(work: (writer: RowWriter) => Promise<T>): Promise<T>;
}

/** The part of core's content-addressed blob store that backups use. */
export interface BlobAccess {
  get(id: string): Promise<Buffer>;
  /** Several blobs in the order asked: small ones read in line from the page cache, the rest concurrently. */
  getMany(ids: readonly string[]): Promise<Buffer[]>;
  put(content: Buffer): Promise<{ id: string; size: number }>;
  exists(id: string): Promise<boolean>;
}
