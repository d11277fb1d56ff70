import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EncryptionInfo } from './backup-crypto.js';
import type { FileEntry } from './backup-files.js';
import { BackupError } from './backup.errors.js';

export const FORMAT_NAME = 'mailhive-backup';
/** Bumped on any change a reader of the previous version could not follow; see docs/backup-format.md. */
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export type BackupKind = 'full' | 'incremental';

export interface TableSummary {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Rows of the table at the snapshot. */
  rows: number;
  /** Rows stored in this backup (all of them in a full backup; new or changed ones in an incremental). */
  stored: number;
  /** Rows of the parent's snapshot that are gone from this one. */
  deleted: number;
  /** `tables/<name>.ndjson.gz`: the stored rows; `keys/<name>.ndjson.gz`: every row's key and hash. */
  rowsFile: string;
  keysFile: string | null;
}

export interface Manifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  id: string;
  kind: BackupKind;
  parent: string | null;
  startedAt: string;
  finishedAt: string;
  serverVersion: string;
  /** The last migration of the store backed up: a restore needs a store at the same one. */
  schemaVersion: string;
  database: string;
  encryption: EncryptionInfo | null;
  tables: TableSummary[];
  blobs: {
    /** Blobs the snapshot references. */
    referenced: number;
    /** Blobs stored in this backup (those not already in its chain), their bytes before compression, and the list file. */
    stored: number;
    bytes: number;
    idsFile: string;
    packs: string[];
  };
  files: FileEntry[];
}

/** `20261207T101500123Z-full-3fa1`: sorts by time, says its kind, and two backups in one millisecond still differ. */
export function newBackupId(kind: BackupKind, at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${kind === 'full' ? 'full' : 'incr'}-${randomBytes(2).toString('hex')}`;
}

const ID = /^\d{8}T\d{9}Z-(full|incr)-[0-9a-f]{4}$/;

export function isBackupId(name: string): boolean {
  return ID.test(name);
}

export async function readManifest(location: string, id: string): Promise<Manifest> {
  if (!isBackupId(id)) throw new BackupError('NOT_FOUND', `"${id}" is not a backup id`);
  let text: string;
  try {
    text = await readFile(join(location, id, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupError('NOT_FOUND', `no complete backup ${id} in ${location}`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new BackupError('CORRUPT', `the manifest of ${id} is not JSON`);
  }
  if (manifest.format !== FORMAT_NAME || manifest.id !== id)
    throw new BackupError('CORRUPT', `the manifest of ${id} is not a Mailhive backup manifest`);
  if (manifest.formatVersion > FORMAT_VERSION) {
    throw new BackupError(
      'INVALID',
      `backup ${id} has format version ${manifest.formatVersion}; this Mailhive reads up to ${FORMAT_VERSION}`,
    );
  }
  return manifest;
}

/** The complete backups of a location, oldest first. A backup is complete once its manifest is there. */
export async function listManifests(location: string): Promise<Manifest[]> {
  const names = await readdir(location).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const manifests: Manifest[] = [];
  for (const name of names.filter(isBackupId).sort()) {
    try {
      manifests.push(await readManifest(location, name));
    } catch (error) {
      if (!(error instanceof BackupError) || error.code !== 'NOT_FOUND') throw error;
    }
  }
  return manifests;
}

/** The chain that restores `id`: its full backup first, `id` last. */
export async function chainOf(location: string, id: string): Promise<Manifest[]> {
  const chain: Manifest[] = [];
  let next: string | null = id;
  while (next) {
    let manifest: Manifest;
    try {
      manifest = await readManifest(location, next);
    } catch (error) {
      if (chain.length > 0 && error instanceof BackupError && error.code === 'NOT_FOUND') {
        throw new BackupError('NOT_FOUND', `the chain of ${id} is broken: its ancestor ${next} is missing`);
      }
      throw error;
    }
    chain.unshift(manifest);
    if (manifest.kind === 'full') return chain;
    next = manifest.parent;
  }
  throw new BackupError('CORRUPT', `incremental backup ${chain[0]?.id ?? id} names no parent`);
}
