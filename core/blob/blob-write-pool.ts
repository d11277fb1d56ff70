import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BlobWriteReply, BlobWriteRequest } from './blob-write.protocol.js';

/** Writers at once: each mostly waits for its two fsyncs, so a few keep the disk busy without crowding the CPU. */
const WORKERS = 4;

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/** Worker threads that write blobs (see blob-write.worker.ts); requests go to the writer with the fewest pending. */
export class BlobWritePool {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private seq = 0;

  private constructor(private readonly script: URL) {}

  /**
   * A pool when the compiled worker script is present. Running from TypeScript sources (unit tests) it is not, and the
   * caller writes on the event loop instead.
   */
  static create(): BlobWritePool | null {
    const script = new URL('./blob-write.worker.js', import.meta.url);
    return existsSync(fileURLToPath(script)) ? new BlobWritePool(script) : null;
  }

  write(tmpFile: string, target: string, content: Buffer): Promise<void> {
    const slot = this.leastBusy();
    const seq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ seq, tmpFile, target, content } satisfies BlobWriteRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map(({ worker }) => worker.terminate()));
  }

  private leastBusy(): { worker: Worker; pending: Map<number, Pending> } {
    const idle = this.workers.find((slot) => slot.pending.size === 0);
    if (idle) return idle;
    if (this.workers.length < WORKERS) return this.spawn();
    return this.workers.reduce((best, slot) => (slot.pending.size < best.pending.size ? slot : best));
  }

  private spawn(): { worker: Worker; pending: Map<number, Pending> } {
    const worker = new Worker(this.script);
    const slot = { worker, pending: new Map<number, Pending>() };
    worker.unref();
    worker.on('message', (reply: BlobWriteReply) => {
      const waiter = slot.pending.get(reply.seq);
      slot.pending.delete(reply.seq);
      // An idle writer must not keep the process alive.
      if (slot.pending.size === 0) worker.unref();
      if (!waiter) return;
      if (reply.ok) waiter.resolve();
      else waiter.reject(Object.assign(new Error(reply.message), { code: reply.code ?? undefined }));
    });
    worker.on('error', (error) => this.fail(slot, error));
    worker.on('exit', () => this.fail(slot, new Error('blob writer exited')));
    this.workers.push(slot);
    return slot;
  }

  /** A writer that died fails what it had pending; the next write starts a new one. */
  private fail(slot: { worker: Worker; pending: Map<number, Pending> }, error: Error): void {
    const index = this.workers.indexOf(slot);
    if (index >= 0) this.workers.splice(index, 1);
    for (const waiter of slot.pending.values()) waiter.reject(error);
    slot.pending.clear();
  }
}
