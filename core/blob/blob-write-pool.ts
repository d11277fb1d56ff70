import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BlobWriteBatch, BlobWriteBatchReply, BlobWriteRequest } from './blob-write.protocol.js';
import { type PackAppend, type PackPlacement, PackWriter } from './pack-writer.js';

/**
 * Writers at once, each appending to a pack of its own. Each mostly waits for its fdatasync; two keep one sync in
 * flight while the other writer gathers and writes the next batch.
 */
const WORKERS = 2;

interface Pending {
  resolve(placement: PackPlacement): void;
  reject(error: Error): void;
}

interface Writer {
  worker: Worker;
  /** Requests posted and not yet answered. */
  pending: Map<number, Pending>;
  /** Requests waiting for the writer's current batch to finish; they go as the next batch. */
  queued: BlobWriteRequest[];
}

/** Appends records to packs and resolves once they are durable. */
export interface PackAppender {
  append(request: PackAppend): Promise<PackPlacement>;
  close(): Promise<void>;
}

/**
 * The writer threads when the compiled worker script is present. Running from TypeScript sources (unit tests) it is
 * not, and one writer appends on the event loop instead.
 */
export function createPackAppender(packDir: string): PackAppender {
  const script = new URL('./blob-write.worker.js', import.meta.url);
  return existsSync(fileURLToPath(script)) ? new BlobWritePool(script, packDir) : new InlinePackAppender(packDir);
}

class InlinePackAppender implements PackAppender {
  private readonly writer: PackWriter;

  constructor(packDir: string) {
    this.writer = new PackWriter(packDir);
  }

  async append(request: PackAppend): Promise<PackPlacement> {
    return this.writer.append([request])[0]!;
  }

  async close(): Promise<void> {
    this.writer.close();
  }
}

/**
 * Worker threads that append to packs (see blob-write.worker.ts). A request goes to an idle writer at once; while
 * all are busy it waits with the writer that has the fewest, and what waited goes over in one message when that
 * writer answers, so a loaded pool costs the event loop one round trip and the disk one sync per batch.
 */
class BlobWritePool implements PackAppender {
  private readonly writers: Writer[] = [];
  private seq = 0;

  constructor(
    private readonly script: URL,
    private readonly packDir: string,
  ) {}

  append(append: PackAppend): Promise<PackPlacement> {
    const writer = this.leastBusy();
    const seq = ++this.seq;
    return new Promise<PackPlacement>((resolve, reject) => {
      const request: BlobWriteRequest = { ...append, seq };
      writer.pending.set(seq, { resolve, reject });
      if (writer.pending.size === 1) this.post(writer, [request]);
      else writer.queued.push(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.writers.splice(0).map(({ worker }) => worker.terminate()));
  }

  private leastBusy(): Writer {
    const idle = this.writers.find((writer) => writer.pending.size === 0);
    if (idle) return idle;
    if (this.writers.length < WORKERS) return this.spawn();
    return this.writers.reduce((best, writer) => (writer.pending.size < best.pending.size ? writer : best));
  }

  private post(writer: Writer, batch: BlobWriteBatch): void {
    writer.worker.ref();
    writer.worker.postMessage(batch);
  }

  private spawn(): Writer {
    const worker = new Worker(this.script, { workerData: { packDir: this.packDir } });
    const writer: Writer = { worker, pending: new Map(), queued: [] };
    worker.unref();
    worker.on('message', (replies: BlobWriteBatchReply) => {
      for (const reply of replies) {
        const waiter = writer.pending.get(reply.seq);
        writer.pending.delete(reply.seq);
        if (!waiter) continue;
        if (reply.ok) waiter.resolve({ pack: reply.pack, offset: reply.offset, time: reply.time });
        else waiter.reject(Object.assign(new Error(reply.message), { code: reply.code ?? undefined }));
      }
      if (writer.queued.length > 0) this.post(writer, writer.queued.splice(0));
      // An idle writer must not keep the process alive.
      else if (writer.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.fail(writer, error));
    worker.on('exit', () => this.fail(writer, new Error('blob writer exited')));
    this.writers.push(writer);
    return writer;
  }

  /** A writer that died fails what it had pending; the next write starts a new one. */
  private fail(writer: Writer, error: Error): void {
    const index = this.writers.indexOf(writer);
    if (index >= 0) this.writers.splice(index, 1);
    for (const waiter of writer.pending.values()) waiter.reject(error);
    writer.pending.clear();
    writer.queued = [];
  }
}
