import { createHash, randomBytes } from 'node:crypto';
import {
  close as closeCallback,
  createReadStream,
  createWriteStream,
  fsync as fsyncCallback,
  open as openCallback,
  read as readCallback,
  readFile as readFileWithCallback,
  readFileSync,
  readSync,
  rename as renameCallback,
  statSync,
  utimes as utimesCallback,
} from 'node:fs';
import { access, mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore, StoredBlob } from './blob-store.js';
import { createPackAppender } from './blob-write-pool.js';
import { PACK_MAX_BLOB, RecordKind } from './pack-format.js';
import { type BlobLocation, PackIndex } from './pack-index.js';
import type { PackAppend } from './pack-writer.js';

const readFileCallback = promisify(readFileWithCallback);

const BLOB_ID = /^[0-9a-f]{64}$/;
/** Temporary names: unique per process by a counter, and across the nodes that share a blob directory by a random prefix. */
const TMP_PREFIX = randomBytes(6).toString('hex');
let tmpSequence = 0;
/** A synchronous read slower than this came from the disk: the rest of the batch is read asynchronously. */
const SLOW_SYNC_READ_MS = 1;
/** Longest a getMany call holds the event loop with synchronous reads. */
const SYNC_BUDGET_MS = 8;
/** Asynchronous reads in flight per getMany call. */
const ASYNC_READS = 8;
/** A temporary file untouched this long belongs to a write that died. */
const STALE_TMP_MS = 60 * 60 * 1000;
/**
 * How stale the pack index may be when a write decides whether its content is stored already. Compaction frees a
 * deleted blob's bytes only DEAD_GRACE_MS after its tombstone, by which time every process has long seen it.
 */
const INDEX_MAX_AGE_MS = 5000;
/** A pack no writer appended to for this long is finished (writers move on after PACK_IDLE_MS) and may be compacted. */
export const FINISHED_PACK_MS = 60 * 60 * 1000;
export const DEAD_GRACE_MS = 60 * 60 * 1000;

/**
 * Blobs under `<root>`. Small ones (almost every message) are appended to pack files in `<root>/packs`: each writer
 * thread of each process appends batches to packs of its own, with one fdatasync per batch, and a record counts
 * only once the commit record ending its batch is there, so a crash leaves either no blob or the whole blob. Larger
 * ones are files `<root>/<aa>/<bb>/<sha256>`, written to `<root>/tmp`, fsynced, renamed into place and the
 * directory fsynced; blobs of that layout written before packs existed are read the same way.
 */
export class FsBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly packDir: string;
  private readonly index: PackIndex;
  private readonly appender;
  private indexLoaded = false;
  private lastTime = 0;

  constructor(private readonly root: string) {
    this.tmpDir = join(root, 'tmp');
    this.packDir = join(root, 'packs');
    this.index = new PackIndex(this.packDir);
    this.appender = createPackAppender(this.packDir);
  }

  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.packDir, { recursive: true });
    // Left-overs of a crash before rename are never visible as blobs. Only old ones are removed: another process on
    // the same store (a CLI command, a second node) may be writing its own temporary files right now.
    const staleBefore = Date.now() - STALE_TMP_MS;
    for (const name of await readdir(this.tmpDir)) {
      const info = await stat(join(this.tmpDir, name)).catch(() => null);
      if (info && info.mtimeMs < staleBefore) await rm(join(this.tmpDir, name), { force: true });
    }
  }

  async put(content: Buffer | Readable): Promise<StoredBlob> {
    return Buffer.isBuffer(content) && content.length <= PACK_MAX_BLOB
      ? this.putPacked(content)
      : this.putStream(Buffer.isBuffer(content) ? Readable.from([content]) : content);
  }

  private async putPacked(content: Buffer): Promise<StoredBlob> {
    const id = createHash('sha256').update(content).digest('hex');
    // Content stored as a file by an older layout is not looked for: it would cost a system call per delivery to
    // save the space of a rare duplicate.
    const stored = this.loadedIndex(INDEX_MAX_AGE_MS).locate(id) !== null;
    await this.append(stored ? { kind: RecordKind.Touch, id } : { kind: RecordKind.Blob, id, content });
    return { id, size: content.length };
  }

  /**
   * Appends a record and enters it in the index once durable. Without a time of its own (compaction keeps the
   * original) it gets one later than any this process gave before, so a put after a delete counts.
   */
  private async append(request: PackAppend): Promise<void> {
    if (request.time === undefined) this.lastTime = Math.max(Date.now(), this.lastTime + 0.001);
    const time = request.time ?? this.lastTime;
    const placement = await this.appender.append({ ...request, time });
    this.index.applyOwn(placement.pack, {
      kind: request.kind,
      id: request.id,
      time,
      offset: placement.offset,
      length: request.content?.length ?? 0,
    });
  }

  /** The index, loaded on first use (most CLI commands never read a blob) and followed when older than `maxAgeMs`. */
  private loadedIndex(maxAgeMs = Infinity): PackIndex {
    if (!this.indexLoaded) {
      this.index.refresh();
      this.indexLoaded = true;
    } else this.index.refreshIfOlder(maxAgeMs);
    return this.index;
  }

  /** The packed content of a live blob; a blob the index does not know may have been written by another process since. */
  private locate(id: string, refresh: boolean): BlobLocation | null {
    if (!BLOB_ID.test(id)) throw new Error(`invalid blob id ${JSON.stringify(id)}`);
    const location = this.loadedIndex().locate(id);
    if (location || !refresh) return location;
    this.index.refresh();
    return this.index.locate(id);
  }

  private async putStream(content: Readable): Promise<StoredBlob> {
    const tmpFile = this.tmpPath();
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(content, measure, createWriteStream(tmpFile, { flags: 'wx', flush: true }));
      const id = hash.digest('hex');
      const target = this.pathOf(id);
      if (this.loadedIndex(INDEX_MAX_AGE_MS).locate(id)) {
        await rm(tmpFile, { force: true });
        await this.append({ kind: RecordKind.Touch, id });
      } else if (await this.refreshIfExists(target)) await rm(tmpFile, { force: true });
      else await this.moveIntoPlace(tmpFile, target);
      return { id, size };
    } catch (error) {
      await rm(tmpFile, { force: true });
      throw error;
    }
  }

  private tmpPath(): string {
    return join(this.tmpDir, `${TMP_PREFIX}-${++tmpSequence}`);
  }

  /** True when the blob is stored already; its time is refreshed so that a concurrent sweep keeps it. */
  private async refreshIfExists(target: string): Promise<boolean> {
    const now = new Date();
    try {
      await fsCall<void>((done) => utimesCallback(target, now, now, done));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Renames a written, fsynced file to its blob path and fsyncs the directory, so the rename survives a crash too. */
  private async moveIntoPlace(tmpFile: string, target: string): Promise<void> {
    const dir = join(target, '..');
    try {
      await fsCall<void>((done) => renameCallback(tmpFile, target, done));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dir, { recursive: true });
      await fsCall<void>((done) => renameCallback(tmpFile, target, done));
    }
    await fsyncPath(dir);
  }

  async get(id: string): Promise<Buffer> {
    const packed = this.locate(id, false);
    if (packed) return this.readPacked(id, packed);
    try {
      // The callback readFile costs about 0.6x the main-thread CPU of fs/promises' (one native read context instead of
      // four promise round trips), which matters when POP3 RETR or IMAP FETCH read one small blob after another.
      return await readFileCallback(this.pathOf(id));
    } catch (error) {
      const written = (error as NodeJS.ErrnoException).code === 'ENOENT' ? this.locate(id, true) : null;
      if (!written) throw error;
      return this.readPacked(id, written);
    }
  }

  private async readPacked(id: string, location: BlobLocation): Promise<Buffer> {
    try {
      const fd = this.index.fdOf(location.pack);
      const buffer = Buffer.allocUnsafe(location.length);
      const read = await fsCall<number>((done) => readCallback(fd, buffer, 0, location.length, location.offset, done));
      if (read !== location.length) throw Object.assign(new Error(`blob ${id} is cut short in ${location.pack.name}`), { code: 'EIO' });
      return buffer;
    } catch (error) {
      // Compacted away by another process: the index learns where the content went.
      const moved = (error as NodeJS.ErrnoException).code === 'ENOENT' ? this.locate(id, true) : null;
      if (!moved || moved === location) throw error;
      return this.readPacked(id, moved);
    }
  }

  private readPackedSync(location: BlobLocation): Buffer | null {
    try {
      const buffer = Buffer.allocUnsafe(location.length);
      return readSync(this.index.fdOf(location.pack), buffer, 0, location.length, location.offset) === location.length ? buffer : null;
    } catch {
      return null;
    }
  }

  /**
   * Small blobs from the page cache cost a few microseconds each read synchronously, against tens of microseconds
   * of main-thread work for the thread-pool round trips of an asynchronous read, so they are read in line while
   * that stays fast. Once one read is slow (the disk, not the cache) or the batch has held the event loop for
   * SYNC_BUDGET_MS, the rest go through the thread pool, several at a time, and other sessions get their turn. A
   * blob that is not where the index says (compacted meanwhile) is left to the asynchronous path, which looks again.
   */
  async getMany(ids: readonly string[]): Promise<Buffer[]> {
    const result = new Array<Buffer>(ids.length);
    const started = performance.now();
    let next = 0;
    while (next < ids.length) {
      const before = performance.now();
      const packed = this.locate(ids[next]!, false);
      const content = packed ? this.readPackedSync(packed) : readFileSyncOrNull(this.pathOf(ids[next]!));
      if (!content) break;
      result[next++] = content;
      const now = performance.now();
      if (now - before > SLOW_SYNC_READ_MS || now - started > SYNC_BUDGET_MS) break;
    }
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        result[index] = await this.get(ids[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ASYNC_READS, ids.length - next) }, worker));
    return result;
  }

  stream(id: string, range?: { start: number; end: number }): Readable {
    if (range && range.end <= range.start) return Readable.from([]);
    const packed = this.locate(id, false) ?? (fileExistsSync(this.pathOf(id)) ? null : this.locate(id, true));
    if (!packed) return createReadStream(this.pathOf(id), range ? { start: range.start, end: range.end - 1 } : undefined);
    const start = packed.offset + (range?.start ?? 0);
    const end = packed.offset + Math.min(range?.end ?? packed.length, packed.length);
    if (end <= start) return Readable.from([]);
    try {
      return createReadStream('', { fd: this.index.fdOf(packed.pack), autoClose: false, start, end: end - 1 });
    } catch {
      // The pack went (compacted by another process) since the index last looked: get looks again.
      const read = async function* (store: FsBlobStore) {
        yield (await store.get(id)).subarray(start - packed.offset, end - packed.offset);
      };
      return Readable.from(read(this));
    }
  }

  async exists(id: string): Promise<boolean> {
    return this.locate(id, false) !== null || (await fileExists(this.pathOf(id))) || this.locate(id, true) !== null;
  }

  async stat(id: string): Promise<{ size: number; writtenAt: number } | null> {
    const packed = this.locate(id, false);
    if (packed) return { size: packed.length, writtenAt: this.index.writtenAt(id)! };
    const info = await stat(this.pathOf(id)).catch(() => null);
    return info ? { size: info.size, writtenAt: info.mtimeMs } : null;
  }

  async *list(): AsyncIterable<{ id: string; writtenAt: number }> {
    this.loadedIndex(0);
    for (const { id, writtenAt } of [...this.index.live()]) yield { id, writtenAt };
    for (const first of await safeReaddir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(first)) continue;
      for (const second of await safeReaddir(join(this.root, first))) {
        for (const id of await safeReaddir(join(this.root, first, second))) {
          if (!BLOB_ID.test(id)) continue;
          const info = await stat(join(this.root, first, second, id)).catch(() => null);
          if (info) yield { id, writtenAt: info.mtimeMs };
        }
      }
    }
  }

  /** A packed blob gets a tombstone (its bytes go when compaction rewrites its pack); a file is removed. */
  async delete(id: string): Promise<void> {
    if (this.locate(id, false)) await this.append({ kind: RecordKind.Tombstone, id });
    await rm(this.pathOf(id), { force: true });
  }

  /**
   * Rewrites finished packs that are at least half dead: what is still live and has no copy elsewhere is appended to
   * this process's packs with its original time, tombstones that still hide content elsewhere are kept, and then the
   * old pack is removed. A pack with content deleted less than `graceMs` ago waits, so that no process still about
   * to refresh that content (a put deciding on a stale index) finds its bytes gone.
   */
  async compact(options: { finishedMs?: number; graceMs?: number } = {}): Promise<{ packs: number; bytes: number }> {
    const index = this.loadedIndex(0);
    const recentlyDeleted = Date.now() - (options.graceMs ?? DEAD_GRACE_MS);
    let packs = 0;
    let bytes = 0;
    for (const pack of index.finishedPacks(options.finishedMs ?? FINISHED_PACK_MS)) {
      const ids = index.idsIn(pack);
      let dead = 0;
      let live = 0;
      for (const item of ids) {
        if (!item.location) continue;
        if (item.live && !item.elsewhere) live += item.location.length;
        else dead += item.location.length;
      }
      if (dead === 0 || live > dead || ids.some((item) => item.location && !item.live && item.deletedAt > recentlyDeleted)) continue;
      const copies: Promise<void>[] = [];
      for (const item of ids) {
        if (item.live && !item.elsewhere) {
          const content = this.readPackedSync(item.location!);
          if (!content) throw new Error(`cannot read blob ${item.id} from ${pack.name} to compact it`);
          copies.push(this.append({ kind: RecordKind.Blob, id: item.id, content, time: item.writtenAt }));
        } else if (item.live) copies.push(this.append({ kind: RecordKind.Touch, id: item.id, time: item.writtenAt }));
        if (item.elsewhere && item.deletedAt > -Infinity)
          copies.push(this.append({ kind: RecordKind.Tombstone, id: item.id, time: item.deletedAt }));
      }
      await Promise.all(copies);
      const size = (await stat(pack.path).catch(() => null))?.size ?? 0;
      await unlink(pack.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      index.dropPack(pack);
      packs++;
      bytes += size;
    }
    return { packs, bytes };
  }

  async close(): Promise<void> {
    await this.appender.close();
    this.index.close();
  }

  async health(): Promise<boolean> {
    try {
      await access(this.tmpDir);
      return true;
    } catch {
      return false;
    }
  }

  private pathOf(id: string): string {
    if (!BLOB_ID.test(id)) throw new Error(`invalid blob id ${JSON.stringify(id)}`);
    return join(this.root, id.slice(0, 2), id.slice(2, 4), id);
  }
}

function fsCall<T>(call: (done: (error: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => call((error, value) => (error ? reject(error) : resolve(value as T))));
}

async function fsyncPath(path: string): Promise<void> {
  const fd = await fsCall<number>((done) => openCallback(path, 'r', done));
  try {
    await fsCall<void>((done) => fsyncCallback(fd, done));
  } finally {
    await fsCall<void>((done) => closeCallback(fd, done));
  }
}

function fileExistsSync(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readFileSyncOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function safeReaddir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}
