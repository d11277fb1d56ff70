import { join } from 'node:path';
import { verifyBackup } from './backup-catalog.js';
import { BackupKey } from './backup-crypto.js';
import { readBlobs, readLines } from './backup-files.js';
import { chainOf, type Manifest, type TableSummary } from './backup-manifest.js';
import { decodeRow, keyPositions, rowKey } from './backup-rows.js';
import { BackupError } from './backup.errors.js';
import type { SourceRow, SourceValue } from './backup.ports.js';

/** A verified backup with its chain and keys, read as the database was at its snapshot. */
export class BackupReader {
  private constructor(
    readonly location: string,
    readonly chain: readonly Manifest[],
    private readonly keys: Map<string, BackupKey | null>,
  ) {}

  /** Opens backup `id` of `location`: refuses a missing secret, a wrong one, or any damaged file of the chain. */
  static async open(location: string, id: string, secret: Buffer | null): Promise<BackupReader> {
    const chain = await chainOf(location, id);
    const keys = new Map<string, BackupKey | null>();
    for (const manifest of chain) {
      if (!manifest.encryption) keys.set(manifest.id, null);
      else if (!secret) throw new BackupError('KEY_REQUIRED', `backup ${manifest.id} is encrypted: give --key-file or --passphrase-stdin`);
      else keys.set(manifest.id, await BackupKey.open(secret, manifest.encryption));
    }
    const verified = await verifyBackup(location, id, null);
    if (verified.problems.length > 0) throw new BackupError('CORRUPT', `backup ${id} is damaged: ${verified.problems[0]}`);
    return new BackupReader(location, chain, keys);
  }

  get target(): Manifest {
    return this.chain.at(-1)!;
  }

  table(name: string): TableSummary | null {
    return this.target.tables.find((table) => table.name === name) ?? null;
  }

  /**
   * The rows a table had at the target's snapshot, in no particular order: its keys file says which rows existed;
   * each row's values come from the newest backup of the chain that stored it.
   */
  async *rows(table: TableSummary): AsyncIterable<SourceRow> {
    const target = this.target;
    if (!table.keysFile) {
      for await (const line of readLines(join(this.location, target.id), table.rowsFile, this.keys.get(target.id)!)) yield decodeRow(line);
      return;
    }
    const wanted = new Set<string>();
    for await (const line of readLines(join(this.location, target.id), table.keysFile, this.keys.get(target.id)!)) {
      wanted.add((JSON.parse(line) as [string, string])[0]);
    }
    const positions = keyPositions(table);
    for (let index = this.chain.length - 1; index >= 0 && wanted.size > 0; index--) {
      const manifest = this.chain[index]!;
      const stored = manifest.tables.find((entry) => entry.name === table.name);
      if (!stored || !sameColumns(stored.columns, table.columns)) continue;
      for await (const line of readLines(join(this.location, manifest.id), stored.rowsFile, this.keys.get(manifest.id)!)) {
        const row = decodeRow(line);
        if (wanted.delete(rowKey(row, positions))) yield row;
      }
    }
    if (wanted.size > 0)
      throw new BackupError('CORRUPT', `${wanted.size} row(s) of ${table.name} are in no backup of the chain of ${target.id}`);
  }

  /** The rows of a table as objects by column name, those `keep` accepts. */
  async records(name: string, keep: (record: Record<string, SourceValue>) => boolean): Promise<Record<string, SourceValue>[]> {
    const table = this.table(name);
    if (!table) throw new BackupError('SCHEMA_MISMATCH', `backup ${this.target.id} has no table ${name}`);
    const found: Record<string, SourceValue>[] = [];
    for await (const row of this.rows(table)) {
      const record = Object.fromEntries(table.columns.map((column, index) => [column, row[index] ?? null]));
      if (keep(record)) found.push(record);
    }
    return found;
  }

  /** Every blob pack of the chain, with the key that opens it. */
  async *blobs(): AsyncIterable<{ id: string; content: Buffer }> {
    for (const manifest of this.chain) {
      for (const pack of manifest.blobs.packs) yield* readBlobs(join(this.location, manifest.id), pack, this.keys.get(manifest.id)!);
    }
  }

  /** The key of one backup of the chain. */
  keyOf(id: string): BackupKey | null {
    return this.keys.get(id) ?? null;
  }
}

export function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((column, index) => b[index] === column);
}
