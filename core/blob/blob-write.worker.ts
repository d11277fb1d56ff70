// Runs in a worker thread: writes blobs with blocking calls, so the whole sequence (write, fsync, rename, directory
// fsync) costs the event loop one message per batch instead of eight thread-pool round trips per blob.
import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { BlobWriteBatch, BlobWriteBatchReply, BlobWriteRequest } from './blob-write.protocol.js';

interface Write {
  request: BlobWriteRequest;
  /** The open temporary file, until it is synced and closed. */
  fd: number | null;
  /** Stored already, or failed: nothing more to do. */
  settled: boolean;
  error: NodeJS.ErrnoException | null;
}

parentPort!.on('message', (batch: BlobWriteBatch) => {
  const writes = writeBatch(batch);
  const replies: BlobWriteBatchReply = writes.map(({ request: { seq }, error }) => (error
    ? { seq, ok: false, code: error.code ?? null, message: error.message }
    : { seq, ok: true }));
  parentPort!.postMessage(replies);
});

/**
 * Each step runs for the whole batch before the next: the file system commits its journal once for the files
 * written before the first sync, and once for the renames before the first directory sync, instead of once per
 * blob. Every file is still synced before its rename and every directory after the renames into it, so a crash
 * leaves either no blob or the whole blob.
 */
function writeBatch(batch: BlobWriteBatch): Write[] {
  const writes: Write[] = batch.map((request) => ({ request, fd: null, settled: false, error: null }));
  step(writes, (write) => {
    if (refreshIfExists(write.request.target)) write.settled = true;
    else {
      write.fd = openSync(write.request.tmpFile, 'wx');
      writeFileSync(write.fd, write.request.content);
    }
  });
  step(writes, (write) => {
    const fd = write.fd!;
    write.fd = null;
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
  step(writes, ({ request: { tmpFile, target } }) => {
    try {
      renameSync(tmpFile, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(target), { recursive: true });
      renameSync(tmpFile, target);
    }
  });
  const byDirectory = new Map<string, Write[]>();
  for (const write of writes) {
    if (write.settled) continue;
    const directory = dirname(write.request.target);
    byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), write]);
  }
  for (const [directory, inside] of byDirectory) {
    try {
      syncDirectory(directory);
    } catch (error) {
      for (const write of inside) fail(write, error);
    }
  }
  return writes;
}

/** Runs `action` for every write still open; one that throws fails alone and leaves no temporary file behind. */
function step(writes: Write[], action: (write: Write) => void): void {
  for (const write of writes) {
    if (write.settled) continue;
    try {
      action(write);
    } catch (error) {
      fail(write, error);
    }
  }
}

function fail(write: Write, error: unknown): void {
  write.settled = true;
  write.error = error as NodeJS.ErrnoException;
  if (write.fd !== null) closeSync(write.fd);
  write.fd = null;
  rmSync(write.request.tmpFile, { force: true });
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** An existing blob gets a fresh time, so that a concurrent sweep keeps it. */
function refreshIfExists(target: string): boolean {
  // existsSync first: a thrown ENOENT (the usual case, a new blob) costs more than the extra check.
  if (!existsSync(target)) return false;
  try {
    const now = new Date();
    utimesSync(target, now, now);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
