// Runs in a worker thread: writes one blob with blocking calls, so the whole sequence (write, fsync, rename,
// directory fsync) costs the event loop one message instead of eight thread-pool round trips.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { BlobWriteBatch, BlobWriteBatchReply, BlobWriteReply, BlobWriteRequest } from './blob-write.protocol.js';

parentPort!.on('message', (batch: BlobWriteBatch) => {
  const replies: BlobWriteBatchReply = batch.map((request): BlobWriteReply => {
    try {
      writeBlob(request);
      return { seq: request.seq, ok: true };
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      return { seq: request.seq, ok: false, code: code ?? null, message };
    }
  });
  parentPort!.postMessage(replies);
});

function writeBlob({ tmpFile, target, content }: BlobWriteRequest): void {
  if (refreshIfExists(target)) return;
  try {
    writeFileSync(tmpFile, content, { flag: 'wx', flush: true });
    try {
      renameSync(tmpFile, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(target), { recursive: true });
      renameSync(tmpFile, target);
    }
  } catch (error) {
    rmSync(tmpFile, { force: true });
    throw error;
  }
  const dir = openSync(dirname(target), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
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
