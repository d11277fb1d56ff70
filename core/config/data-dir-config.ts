import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, maskUrl } from './config.schema.js';

/**
 * The keys that say where a data directory's mail lives. The first `mailhive start` on a data directory records them
 * in `<dataDir>/mailhive.json`, so that every later command on that directory (the CLI above all) uses the same store
 * without being told again, and one that is told otherwise is refused instead of silently editing another store.
 */
export const STORE_KEYS = ['MAILHIVE_DATABASE_URL', 'MAILHIVE_BLOB_DIR'] as const;

export function dataDirConfigFile(dataDir: string): string {
  return join(dataDir, 'mailhive.json');
}

/** The data directory an environment names, before any config file is read. */
export function dataDirOf(env: Record<string, string | undefined>): string {
  const entry = CONFIG_KEYS.find((key) => key.key === 'dataDir')!;
  return entry.parse(env[entry.env] ?? entry.default) as string;
}

/**
 * The store keys set in the environment that differ from what the data directory records: "KEY is X here, but
 * this data directory's store is Y". Compared after parsing, so `./data/blobs` and its absolute path agree.
 */
export function storeMismatches(env: Record<string, string | undefined>, recorded: Record<string, string>): string[] {
  return STORE_KEYS.flatMap((name) => {
    const given = env[name];
    if (given === undefined) return [];
    if (name === 'MAILHIVE_BLOB_DIR' && movingBlobs(env, recorded)) return [];
    const entry = CONFIG_KEYS.find((key) => key.env === name)!;
    const mine = entry.parse(given);
    const theirs = entry.parse(recorded[name] ?? entry.default);
    return mine === theirs
      ? []
      : [`${name} is "${shown(given)}" here, but this data directory's store is "${shown(recorded[name] ?? '')}"`];
  });
}

/**
 * True when the environment moves the blobs to another store the way `mailhive blobs migrate` says: the new store in
 * MAILHIVE_BLOB_DIR, and the recorded one as MAILHIVE_BLOB_FALLBACK_DIR, so no blob of this directory goes unread.
 */
function movingBlobs(env: Record<string, string | undefined>, recorded: Record<string, string>): boolean {
  const fallback = env.MAILHIVE_BLOB_FALLBACK_DIR;
  if (!fallback) return false;
  const entry = CONFIG_KEYS.find((key) => key.env === 'MAILHIVE_BLOB_DIR')!;
  const blobDirOf = (raw: string) => (entry.parse(raw) as string | null) ?? join(dataDirOf(env), 'blobs');
  return blobDirOf(fallback) === blobDirOf(recorded.MAILHIVE_BLOB_DIR ?? entry.default);
}

function shown(value: string): string {
  return maskUrl(value) || '(default)';
}

/**
 * Records the store keys of the environment in `<dataDir>/mailhive.json` when the data directory has no record yet,
 * or moves its blobs; readable by its owner only, since a database URL may hold a password. Written whole or not at all.
 */
export function recordStore(dataDir: string, env: Record<string, string | undefined>): void {
  const file = dataDirConfigFile(dataDir);
  let record: Record<string, string | undefined>;
  if (existsSync(file)) {
    // A move of the blobs (see movingBlobs) is recorded, so that the directory stays on the new store afterwards.
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    if (!env.MAILHIVE_BLOB_DIR || !movingBlobs(env, recorded)) return;
    record = { ...recorded, MAILHIVE_BLOB_DIR: env.MAILHIVE_BLOB_DIR };
  } else record = Object.fromEntries(STORE_KEYS.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  mkdirSync(dataDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}
