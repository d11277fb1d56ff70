import { createHash } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupKey } from './backup-crypto.js';
import { BackupReader, sameColumns } from './backup-reader.js';
import { BackupFileWriter, blobRecordHead, readLines, type FileEntry } from './backup-files.js';
import {
  chainOf,
  FORMAT_NAME,
  FORMAT_VERSION,
  listManifests,
  MANIFEST_FILE,
  newBackupId,
  type BackupKind,
  type Manifest,
  type TableSummary,
} from './backup-manifest.js';
import { encodeRow, keyPositions, rowHash, rowKey } from './backup-rows.js';
import { BackupError } from './backup.errors.js';
import type { BlobAccess, RowWriter, SnapshotSource, SourceRow, SourceSnapshot, SourceTable } from './backup.ports.js';

/** A pack file is closed after this many bytes of blobs, so that no one file grows without bound. */
const PACK_LIMIT = 256 * 1024 * 1024;
/** Blobs read from the store at once while packing. */
const BLOB_READ_BATCH = 256;
/** Blobs written to the store at once while restoring: the store commits concurrent writes together. */
const BLOB_WRITE_CONCURRENCY = 32;
const INSERT_BATCH = 500;

export interface BackupProgress {
  phase: 'tables' | 'blobs' | 'restore-blobs' | 'restore-rows';
  items: number;
  bytes: number;
}

export interface CreateOptions {
  location: string;
  incremental: boolean;
  /** The key file's bytes or the passphrase; null for an unencrypted backup. */
  secret: Buffer | null;
  onProgress?: (progress: BackupProgress) => void;
}

export interface RestoreSummary {
  id: string;
  rows: number;
  blobs: number;
}

export interface BackupEnvironment {
  snapshots: SnapshotSource;
  blobs: BlobAccess;
  serverVersion: string;
  database: string;
}

/**
 * Full and incremental backups of the whole store into a directory, and their full restore (verification, listing
 * and pruning need no store: backup-catalog.ts). The format is described in docs/backup-format.md.
 */
export class BackupService {
  constructor(private readonly env: BackupEnvironment) {}

  async create(options: CreateOptions): Promise<Manifest> {
    const startedAt = new Date();
    await mkdir(options.location, { recursive: true });
    const parentChain = options.incremental ? await this.parentChain(options.location) : [];
    const parent = parentChain.at(-1) ?? null;
    const parentKey = parent ? await keyFor(parent, options.secret) : null;
    const key = options.secret ? await BackupKey.create(options.secret) : null;
    const kind: BackupKind = parent ? 'incremental' : 'full';
    const id = newBackupId(kind, startedAt);
    const partial = join(options.location, `.${id}.partial`);
    await mkdir(partial, { recursive: true });
    const chainBlobs = await this.blobIdsOf(options.location, parentChain, options.secret);
    const progress = { items: 0, bytes: 0 };
    const files: FileEntry[] = [];
    const { tables, schemaVersion, blobs } = await this.env.snapshots.read(async (snapshot) => {
      const summaries: TableSummary[] = [];
      for (const table of snapshot.tables) {
        const previous = parent?.tables.find((entry) => entry.name === table.name && sameColumns(entry.columns, table.columns));
        const parentKeys = previous?.keysFile ? await readKeys(join(options.location, parent!.id), previous.keysFile, parentKey) : null;
        summaries.push(
          await this.writeTable(snapshot, table, partial, key, parentKeys, files, (rows) => {
            progress.items += rows;
            options.onProgress?.({ phase: 'tables', ...progress });
          }),
        );
      }
      const blobSummary = await this.writeBlobs(snapshot, partial, key, chainBlobs, files, (bytes) => {
        progress.items++;
        progress.bytes += bytes;
        options.onProgress?.({ phase: 'blobs', ...progress });
      });
      return { tables: summaries, schemaVersion: snapshot.schemaVersion, blobs: blobSummary };
    });
    const manifest: Manifest = {
      format: FORMAT_NAME,
      formatVersion: FORMAT_VERSION,
      id,
      kind,
      parent: parent?.id ?? null,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      serverVersion: this.env.serverVersion,
      schemaVersion,
      database: this.env.database,
      encryption: key?.info ?? null,
      tables,
      blobs,
      files,
    };
    // The manifest is written last and the directory renamed into place only then: a backup cut short (killed,
    // disk full) stays a hidden `.partial` directory that list, verify and restore never take for a backup.
    await writeDurably(join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(partial, join(options.location, id));
    await syncDirectory(options.location);
    return manifest;
  }

  /** Whether the location holds a complete backup (an incremental one can be built on it). */
  async hasBackups(location: string): Promise<boolean> {
    return (await listManifests(location).catch(() => [])).length > 0;
  }

  private async parentChain(location: string): Promise<Manifest[]> {
    const newest = (await listManifests(location)).at(-1);
    if (!newest) throw new BackupError('NO_PARENT', `no backup in ${location} to build an incremental backup on: make a full one first`);
    return chainOf(location, newest.id);
  }

  private async writeTable(
    snapshot: SourceSnapshot,
    table: SourceTable,
    root: string,
    key: BackupKey | null,
    parentKeys: Map<string, string> | null,
    files: FileEntry[],
    onRows: (rows: number) => void,
  ): Promise<TableSummary> {
    const rowsFile = `tables/${table.name}.ndjson.gz`;
    const keysFile = table.primaryKey.length > 0 ? `keys/${table.name}.ndjson.gz` : null;
    const rowsOut = await BackupFileWriter.create(root, rowsFile, key);
    const keysOut = keysFile ? await BackupFileWriter.create(root, keysFile, key) : null;
    const positions = keyPositions(table);
    let rows = 0;
    let stored = 0;
    for await (const batch of snapshot.rows(table)) {
      let rowText = '';
      let keyText = '';
      for (const row of batch) {
        const line = encodeRow(row);
        rows++;
        if (!keysOut) {
          rowText += `${line}\n`;
          stored++;
          continue;
        }
        const rowId = rowKey(row, positions);
        const hash = rowHash(line);
        keyText += `${JSON.stringify([rowId, hash])}\n`;
        // A table without a key in the parent is stored whole; otherwise only rows new or changed since the parent.
        if (parentKeys?.get(rowId) !== hash) {
          rowText += `${line}\n`;
          stored++;
        }
        parentKeys?.delete(rowId);
      }
      if (rowText) await rowsOut.write(rowText);
      if (keyText) await keysOut!.write(keyText);
      onRows(batch.length);
    }
    files.push(await rowsOut.close());
    if (keysOut) files.push(await keysOut.close());
    return {
      name: table.name,
      columns: table.columns,
      primaryKey: table.primaryKey,
      rows,
      stored,
      deleted: parentKeys?.size ?? 0,
      rowsFile,
      keysFile,
    };
  }

  private async writeBlobs(
    snapshot: SourceSnapshot,
    root: string,
    key: BackupKey | null,
    inChain: Set<string>,
    files: FileEntry[],
    onBlob: (bytes: number) => void,
  ): Promise<Manifest['blobs']> {
    const idsFile = 'blobs/ids.txt.gz';
    const ids = await BackupFileWriter.create(root, idsFile, key);
    const packs: string[] = [];
    let pack: BackupFileWriter | null = null;
    let packBytes = 0;
    let referenced = 0;
    let stored = 0;
    let bytes = 0;
    for await (const batch of snapshot.blobIds()) {
      referenced += batch.length;
      const wanted = batch.filter((id) => !inChain.has(id));
      for (let start = 0; start < wanted.length; start += BLOB_READ_BATCH) {
        const slice = wanted.slice(start, start + BLOB_READ_BATCH);
        const contents = await this.env.blobs.getMany(slice).catch(async () => {
          const missing = [];
          for (const id of slice) if (!(await this.env.blobs.exists(id))) missing.push(id);
          throw new BackupError(
            'MISSING_BLOB',
            `blob ${missing[0] ?? slice[0]} is referenced by the store but missing from the blob store`,
          );
        });
        for (let index = 0; index < slice.length; index++) {
          const content = contents[index]!;
          if (!pack || packBytes >= PACK_LIMIT) {
            if (pack) files.push(await pack.close());
            const path = `blobs/pack-${String(packs.length + 1).padStart(5, '0')}.bin.gz`;
            packs.push(path);
            pack = await BackupFileWriter.create(root, path, key);
            packBytes = 0;
          }
          await pack.write(blobRecordHead(slice[index]!, content.length));
          await pack.write(content);
          packBytes += content.length;
          bytes += content.length;
          stored++;
          onBlob(content.length);
        }
        await ids.write(slice.map((id) => `${id}\n`).join(''));
      }
    }
    if (pack) files.push(await pack.close());
    files.push(await ids.close());
    return { referenced, stored, bytes, idsFile, packs };
  }

  /** The blobs already stored by the backups of a chain. */
  private async blobIdsOf(location: string, chain: readonly Manifest[], secret: Buffer | null): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const manifest of chain) {
      const key = await keyFor(manifest, secret);
      for await (const id of readLines(join(location, manifest.id), manifest.blobs.idsFile, key)) ids.add(id);
    }
    return ids;
  }

  /**
   * Restores a backup (with its chain) into the configured store, which must be empty and at the backup's schema
   * version. Blobs go first (content-addressed, so a failed restore leaves only unreferenced blobs for the sweeper);
   * then every row in one transaction.
   */
  async restore(
    location: string,
    id: string,
    secret: Buffer | null,
    onProgress?: (progress: BackupProgress) => void,
  ): Promise<RestoreSummary> {
    const reader = await BackupReader.open(location, id, secret);
    const target = reader.target;
    const schema = await this.env.snapshots.schemaVersion();
    if (schema !== target.schemaVersion) {
      throw new BackupError(
        'SCHEMA_MISMATCH',
        `backup ${id} has schema ${target.schemaVersion}, this store ${schema}: restore with the Mailhive version that made it`,
      );
    }
    const busy = await this.env.snapshots.firstNonEmptyTable();
    if (busy)
      throw new BackupError(
        'NOT_EMPTY',
        `a full restore needs an empty store, and table ${busy} has rows (restore selected mail with --user instead)`,
      );
    const progress = { items: 0, bytes: 0 };
    const blobs = await this.restoreBlobs(reader, (bytes) => {
      progress.items++;
      progress.bytes += bytes;
      onProgress?.({ phase: 'restore-blobs', ...progress });
    });
    const rows = await this.env.snapshots.restore(async (writer) => {
      let count = 0;
      for (const table of target.tables) {
        count += await this.restoreTable(writer, reader, table);
        onProgress?.({ phase: 'restore-rows', items: count, bytes: progress.bytes });
      }
      return count;
    });
    return { id, rows, blobs };
  }

  private async restoreBlobs(reader: BackupReader, onBlob: (bytes: number) => void): Promise<number> {
    const inFlight = new Set<Promise<void>>();
    let count = 0;
    for await (const { id, content } of reader.blobs()) {
      if (createHash('sha256').update(content).digest('hex') !== id) throw new BackupError('CORRUPT', `blob ${id} does not match its name`);
      const write: Promise<void> = this.env.blobs.put(content).then(() => {
        inFlight.delete(write);
        onBlob(content.length);
      });
      inFlight.add(write);
      count++;
      if (inFlight.size >= BLOB_WRITE_CONCURRENCY) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return count;
  }

  /** Writes the rows a table had at the target's snapshot, in batches. */
  private async restoreTable(writer: RowWriter, reader: BackupReader, table: TableSummary): Promise<number> {
    const present = writer.tables.find((entry) => entry.name === table.name);
    if (!present) throw new BackupError('SCHEMA_MISMATCH', `the store has no table ${table.name}`);
    const columns = table.columns.filter((column) => present.columns.includes(column));
    const pick = columns.map((column) => table.columns.indexOf(column));
    let batch: SourceRow[] = [];
    let count = 0;
    for await (const row of reader.rows(table)) {
      batch.push(pick.map((position) => row[position] ?? null));
      count++;
      if (batch.length >= INSERT_BATCH) {
        await writer.insert(table.name, columns, batch);
        batch = [];
      }
    }
    if (batch.length > 0) await writer.insert(table.name, columns, batch);
    return count;
  }
}

async function keyFor(manifest: Manifest, secret: Buffer | null): Promise<BackupKey | null> {
  if (!manifest.encryption) return null;
  if (!secret) throw new BackupError('KEY_REQUIRED', `backup ${manifest.id} is encrypted: give --key-file or --passphrase-stdin`);
  return BackupKey.open(secret, manifest.encryption);
}

async function readKeys(root: string, path: string, key: BackupKey | null): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for await (const line of readLines(root, path, key)) {
    const [rowId, hash] = JSON.parse(line) as [string, string];
    keys.set(rowId, hash);
  }
  return keys;
}

async function writeDurably(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
