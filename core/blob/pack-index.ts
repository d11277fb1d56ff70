// Where each packed blob is: built by reading the packs in the directory, and kept up to date by following them,
// since several processes (nodes, CLI commands) append to packs of their own in one shared directory.
import { closeSync, fstatSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type PackRecord, RecordKind, scanPack } from './pack-format.js';
import { PACK_IDLE_MS } from './pack-writer.js';

const CLOSE_DROPPED_AFTER_MS = 60_000;

export interface Pack {
  name: string;
  path: string;
  /** Records up to here are in the index. */
  scannedTo: number;
  /** Written by this process: its records reach the index as they are written, never by scanning. */
  own: boolean;
  /** When this process last appended to it. */
  appendedAt: number;
  /** Opened on the first read, kept for the next. */
  fd: number | null;
  /** Ids with a record in this pack. */
  ids: Set<string>;
}

export interface BlobLocation {
  pack: Pack;
  offset: number;
  length: number;
}

interface Entry {
  locations: BlobLocation[];
  /** Latest time of a blob or touch record. */
  writtenAt: number;
  /** Latest time of a tombstone; records of an earlier time are deleted. */
  deletedAt: number;
}

export interface IdInPack {
  id: string;
  live: boolean;
  /** The blob has content outside this pack. */
  elsewhere: boolean;
  writtenAt: number;
  deletedAt: number;
  /** This pack holds content of the blob. */
  location: BlobLocation | null;
}

export class PackIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly packs = new Map<string, Pack>();
  private refreshedAt = -Infinity;

  constructor(private readonly dir: string) {}

  /** The content of a live blob, or null. */
  locate(id: string): BlobLocation | null {
    const entry = this.entries.get(id);
    return entry && isLive(entry) ? entry.locations[0]! : null;
  }

  writtenAt(id: string): number | null {
    const entry = this.entries.get(id);
    return entry && isLive(entry) ? entry.writtenAt : null;
  }

  *live(): Iterable<{ id: string; writtenAt: number; size: number }> {
    for (const [id, entry] of this.entries) {
      if (isLive(entry)) yield { id, writtenAt: entry.writtenAt, size: entry.locations[0]!.length };
    }
  }

  /** A record this process has just written. */
  applyOwn(packName: string, record: PackRecord): void {
    const pack = this.packs.get(packName) ?? this.addPack(packName, true);
    // A scan may have found the new pack before its first batch was answered.
    pack.own = true;
    pack.appendedAt = Date.now();
    this.apply(pack, record);
  }

  /** Follows the other writers when the last look is older than `maxAgeMs`; true when something changed. */
  refreshIfOlder(maxAgeMs: number): boolean {
    return performance.now() - this.refreshedAt > maxAgeMs ? this.refresh() : false;
  }

  /** Reads what other writers appended since the last look, and forgets packs that are gone; true when anything changed. */
  refresh(): boolean {
    this.refreshedAt = performance.now();
    let changed = false;
    const present = new Set(readdirSync(this.dir).filter((name) => name.endsWith('.pack')));
    for (const pack of [...this.packs.values()]) {
      if (!present.has(pack.name)) {
        this.dropPack(pack);
        changed = true;
      }
    }
    for (const name of present) {
      const pack = this.packs.get(name) ?? this.addPack(name, false);
      if (pack.own) continue;
      changed = this.follow(pack) || changed;
    }
    return changed;
  }

  /**
   * Reads a pack's new records through a descriptor opened for this look: on NFS only an open is sure to see what
   * another node has appended (close-to-open consistency).
   */
  private follow(pack: Pack): boolean {
    let fd: number;
    try {
      fd = openSync(pack.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.dropPack(pack);
      return true;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= pack.scannedTo) return false;
      const { records, committedTo } = scanPack(fd, pack.scannedTo, size, true);
      for (const record of records) this.apply(pack, record);
      pack.scannedTo = committedTo;
      return records.length > 0;
    } finally {
      closeSync(fd);
    }
  }

  /** An open descriptor for reading the pack; throws ENOENT when the pack is gone. */
  fdOf(pack: Pack): number {
    pack.fd ??= openSync(pack.path, 'r');
    return pack.fd;
  }

  /**
   * Packs that compaction may rewrite: written by no live writer for `finishedMs`. This process's writers may still
   * append to a pack of theirs until it has been idle for PACK_IDLE_MS.
   */
  finishedPacks(finishedMs: number): Pack[] {
    const now = Date.now();
    const before = now - finishedMs;
    return [...this.packs.values()].filter((pack) => {
      if (pack.own && now - pack.appendedAt <= PACK_IDLE_MS) return false;
      const info = statSync(pack.path, { throwIfNoEntry: false });
      return info !== undefined && info.mtimeMs < before;
    });
  }

  /** What the index knows of each id with a record in the pack. */
  idsIn(pack: Pack): IdInPack[] {
    return [...pack.ids].map((id) => {
      const entry = this.entries.get(id)!;
      return {
        id,
        live: isLive(entry),
        writtenAt: entry.writtenAt,
        deletedAt: entry.deletedAt,
        elsewhere: entry.locations.some((location) => location.pack !== pack),
        location: entry.locations.find((location) => location.pack === pack) ?? null,
      };
    });
  }

  /** Forgets a pack that is gone (compacted here or by another process). */
  dropPack(pack: Pack): void {
    for (const id of pack.ids) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      entry.locations = entry.locations.filter((location) => location.pack !== pack);
      if (entry.locations.length === 0) this.entries.delete(id);
    }
    // A read or stream may still be using the descriptor: it stays open a while, the content is the same.
    const { fd } = pack;
    if (fd !== null) setTimeout(() => closeSync(fd), CLOSE_DROPPED_AFTER_MS).unref();
    pack.fd = null;
    this.packs.delete(pack.name);
  }

  close(): void {
    for (const pack of this.packs.values()) {
      if (pack.fd !== null) closeSync(pack.fd);
      pack.fd = null;
    }
  }

  private addPack(name: string, own: boolean): Pack {
    const pack: Pack = { name, path: join(this.dir, name), scannedTo: 0, own, appendedAt: 0, fd: null, ids: new Set() };
    this.packs.set(name, pack);
    return pack;
  }

  private apply(pack: Pack, record: PackRecord): void {
    let entry = this.entries.get(record.id);
    if (!entry) {
      entry = { locations: [], writtenAt: -Infinity, deletedAt: -Infinity };
      this.entries.set(record.id, entry);
    }
    pack.ids.add(record.id);
    if (record.kind === RecordKind.Tombstone) {
      entry.deletedAt = Math.max(entry.deletedAt, record.time);
      return;
    }
    entry.writtenAt = Math.max(entry.writtenAt, record.time);
    if (
      record.kind === RecordKind.Blob &&
      !entry.locations.some((location) => location.pack === pack && location.offset === record.offset)
    ) {
      entry.locations.push({ pack, offset: record.offset, length: record.length });
    }
  }
}

function isLive(entry: Entry): boolean {
  return entry.locations.length > 0 && entry.writtenAt > entry.deletedAt;
}
