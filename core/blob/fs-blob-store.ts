import { createHash, randomBytes } from 'node:crypto';
import {
  close as closeCallback, createReadStream, createWriteStream, fsync as fsyncCallback, open as openCallback, readFile as readFileWithCallback,
  readFileSync, rename as renameCallback, utimes as utimesCallback,
} from 'node:fs';
import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore, StoredBlob } from './blob-store.js';
import { BlobWritePool } from './blob-write-pool.js';

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
 * Blobs as files under `<root>/<aa>/<bb>/<sha256>`. A blob is written to `<root>/tmp`, fsynced, then renamed
 * into place and the directory fsynced: a crash at any moment leaves either no blob or the whole blob.
 */
export class FsBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly writers = BlobWritePool.create();

  constructor(private readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    // Left-overs of a crash before rename are never visible as blobs. Only old ones are removed: another process on
    // the same store (a CLI command, a second node) may be writing its own temporary files right now.
    const staleBefore = Date.now() - STALE_TMP_MS;
    for (const name of await readdir(this.tmpDir)) {
      const info = await stat(join(this.tmpDir, name)).catch(() => null);
      if (info && info.mtimeMs < staleBefore) await rm(join(this.tmpDir, name), { force: true });
    }
  }

  async put(content: Buffer | Readable): Promise<StoredBlob> {
    return Buffer.isBuffer(content) ? this.putBuffer(content) : this.putStream(content);
  }

  /**
   * A message already in memory (almost every SMTP delivery): a worker thread writes it, which costs the event loop
   * one message instead of eight thread-pool round trips. Running from TypeScript sources (unit tests) there is no
   * compiled worker, and it is streamed like any other content.
   */
  private async putBuffer(content: Buffer): Promise<StoredBlob> {
    if (!this.writers) return this.putStream(Readable.from([content]));
    const id = createHash('sha256').update(content).digest('hex');
    await this.writers.write(this.tmpPath(), this.pathOf(id), content);
    return { id, size: content.length };
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
      if (await this.refreshIfExists(target)) await rm(tmpFile, { force: true });
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
    // The callback readFile costs about 0.6x the main-thread CPU of fs/promises' (one native read context instead of
    // four promise round trips), which matters when POP3 RETR or IMAP FETCH read one small blob after another.
    return readFileCallback(this.pathOf(id));
  }

  /**
   * Small blobs from the page cache cost a few microseconds each read synchronously, against tens of microseconds
   * of main-thread work for the four thread-pool round trips of an asynchronous read, so they are read in line while
   * that stays fast. Once one read is slow (the disk, not the cache) or the batch has held the event loop for
   * SYNC_BUDGET_MS, the rest go through the thread pool, several at a time, and other sessions get their turn.
   */
  async getMany(ids: readonly string[]): Promise<Buffer[]> {
    const result = new Array<Buffer>(ids.length);
    const started = performance.now();
    let next = 0;
    while (next < ids.length) {
      const before = performance.now();
      result[next] = readFileSync(this.pathOf(ids[next]));
      next++;
      const now = performance.now();
      if (now - before > SLOW_SYNC_READ_MS || now - started > SYNC_BUDGET_MS) break;
    }
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        result[index] = await this.get(ids[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ASYNC_READS, ids.length - next) }, worker));
    return result;
  }

  stream(id: string, range?: { start: number; end: number }): Readable {
    if (range && range.end <= range.start) return Readable.from([]);
    return createReadStream(this.pathOf(id), range ? { start: range.start, end: range.end - 1 } : undefined);
  }

  async exists(id: string): Promise<boolean> {
    return fileExists(this.pathOf(id));
  }

  async stat(id: string): Promise<{ size: number; writtenAt: number } | null> {
    const info = await stat(this.pathOf(id)).catch(() => null);
    return info ? { size: info.size, writtenAt: info.mtimeMs } : null;
  }

  async *list(): AsyncIterable<{ id: string; writtenAt: number }> {
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

  async delete(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  async close(): Promise<void> {
    await this.writers?.close();
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
