import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupKey } from './backup-crypto.js';
import { checkFile } from './backup-files.js';
import { chainOf, listManifests, MANIFEST_FILE, type Manifest } from './backup-manifest.js';
import { BackupError } from './backup.errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface VerifyResult {
  /** The backups checked: the chain of the one asked for, full backup first. */
  chain: string[];
  files: number;
  problems: string[];
}

/** The complete backups of a location, oldest first. */
export function listBackups(location: string): Promise<Manifest[]> {
  return listManifests(location);
}

/** Checks every file of the backup and of its chain against the manifests, and that the chain is complete. */
export async function verifyBackup(location: string, id: string, secret: Buffer | null): Promise<VerifyResult> {
  const result: VerifyResult = { chain: [], files: 0, problems: [] };
  let chain: Manifest[];
  try {
    chain = await chainOf(location, id);
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    result.problems.push(error.message);
    return result;
  }
  for (const manifest of chain) {
    result.chain.push(manifest.id);
    if (secret && manifest.encryption) {
      try {
        await BackupKey.open(secret, manifest.encryption);
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        result.problems.push(`${manifest.id}: ${error.message}`);
      }
    }
    const listed = new Set(manifest.files.map((file) => file.path));
    const needed = [
      ...manifest.tables.flatMap((table) => [table.rowsFile, table.keysFile]),
      manifest.blobs.idsFile,
      ...manifest.blobs.packs,
    ];
    for (const path of needed)
      if (path && !listed.has(path)) result.problems.push(`${manifest.id}: ${path} has no checksum in the manifest`);
    for (const file of manifest.files) {
      result.files++;
      const problem = await checkFile(join(location, manifest.id), file);
      if (problem) result.problems.push(`${manifest.id}: ${problem}`);
    }
  }
  return result;
}

/**
 * Removes backups beyond retention: kept are the `keepFull` newest full backups with their incrementals, every
 * backup younger than `keepDays`, and every ancestor a kept backup needs. Returns the ids removed.
 */
export async function pruneBackups(location: string, keepFull: number, keepDays: number, now = Date.now()): Promise<string[]> {
  const manifests = await listManifests(location);
  const byId = new Map(manifests.map((manifest) => [manifest.id, manifest]));
  const fullOf = (manifest: Manifest): string => {
    let current: Manifest | undefined = manifest;
    while (current && current.kind !== 'full') current = current.parent ? byId.get(current.parent) : undefined;
    return current?.id ?? '';
  };
  const fulls = manifests.filter((manifest) => manifest.kind === 'full');
  const keptFulls = new Set(keepFull > 0 ? fulls.slice(-keepFull).map((manifest) => manifest.id) : []);
  const keep = new Set<string>();
  for (const manifest of manifests) {
    if (keptFulls.has(fullOf(manifest)) || Date.parse(manifest.startedAt) > now - keepDays * DAY_MS) {
      for (let current: Manifest | undefined = manifest; current; current = current.parent ? byId.get(current.parent) : undefined)
        keep.add(current.id);
    }
  }
  const removed: string[] = [];
  for (const manifest of manifests) {
    if (keep.has(manifest.id)) continue;
    // The manifest goes first: a prune cut short leaves an incomplete directory, never a backup missing files.
    await rm(join(location, manifest.id, MANIFEST_FILE), { force: true });
    await rm(join(location, manifest.id), { recursive: true, force: true });
    removed.push(manifest.id);
  }
  for (const name of await readdir(location)) {
    if (!name.endsWith('.partial')) continue;
    const info = await stat(join(location, name)).catch(() => null);
    // A partial directory older than the retention belongs to a backup that died; a young one may still be written.
    if (info && info.mtimeMs < now - Math.max(keepDays, 1) * DAY_MS) await rm(join(location, name), { recursive: true, force: true });
  }
  return removed;
}
