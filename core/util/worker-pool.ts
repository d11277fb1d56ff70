import { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerReply } from './worker-job.protocol.js';

/** Limits of one pool of worker threads; each pool names its own values. */
export interface WorkerPoolLimits {
  /** Threads at most. */
  threads: number;
  /** Jobs waiting for a thread at most; more are refused as `busy`. */
  maxQueued: number;
  /**
   * A job running longer than this is stopped (its thread is replaced) and counts as `busy`: with inputs capped, only
   * a starved thread takes that long, so the job may be tried again later. Absent: no time limit.
   */
  timeoutMs?: number;
  /** Old-generation heap of one thread; a job that needs more ends that thread and counts as `failed`. */
  threadHeapMb?: number;
}

/**
 * Refusals are values: `busy` when the queue is full, the pool is closing or the job ran out of time (try again
 * later); `failed` when the job threw or its thread died running it (out of memory).
 */
export type WorkerOutcome<R> = { ok: true; value: R } | { ok: false; reason: 'busy' | 'failed' };

interface Waiting<P, R> {
  payload: P;
  transfer: ArrayBuffer[];
  resolve(outcome: WorkerOutcome<R>): void;
}

interface Thread<R> {
  worker: Worker;
  job: { seq: number; resolve(outcome: WorkerOutcome<R>): void; timer: NodeJS.Timeout | null } | null;
}

/**
 * Worker threads for CPU-heavy jobs that must not stall the event loop (message analysis, HTML sanitising). Threads
 * start on demand, an idle thread does not keep the process alive, and a thread that dies fails only its own job.
 * The script answers through serveWorkerJobs (worker-thread.ts).
 */
export class WorkerPool<P, R> {
  private readonly threads: Thread<R>[] = [];
  private readonly queue: Waiting<P, R>[] = [];
  private seq = 0;
  private closed = false;

  constructor(
    private readonly script: URL,
    private readonly limits: WorkerPoolLimits,
  ) {}

  /** Runs one job; the buffers in `transfer` move to the thread and are unusable here afterwards. */
  run(payload: P, transfer: ArrayBuffer[] = []): Promise<WorkerOutcome<R>> {
    return new Promise<WorkerOutcome<R>>((resolve) => {
      if (this.closed) return resolve({ ok: false, reason: 'busy' });
      const thread = this.idleThread();
      if (thread) return this.start(thread, { payload, transfer, resolve });
      if (this.queue.length >= this.limits.maxQueued) return resolve({ ok: false, reason: 'busy' });
      this.queue.push({ payload, transfer, resolve });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.resolve({ ok: false, reason: 'busy' });
    await Promise.all(
      this.threads.splice(0).map((thread) => {
        this.finish(thread, { ok: false, reason: 'busy' });
        return thread.worker.terminate();
      }),
    );
  }

  private idleThread(): Thread<R> | null {
    return this.threads.find((thread) => thread.job === null) ?? (this.threads.length < this.limits.threads ? this.spawn() : null);
  }

  private start(thread: Thread<R>, { payload, transfer, resolve }: Waiting<P, R>): void {
    const seq = ++this.seq;
    let timer: NodeJS.Timeout | null = null;
    if (this.limits.timeoutMs !== undefined) {
      timer = setTimeout(() => this.replace(thread, 'busy'), this.limits.timeoutMs);
      timer.unref();
    }
    thread.job = { seq, resolve, timer };
    thread.worker.ref();
    const job: WorkerJob<P> = { seq, payload };
    thread.worker.postMessage(job, transfer);
  }

  private finish(thread: Thread<R>, outcome: WorkerOutcome<R>): void {
    const job = thread.job;
    thread.job = null;
    if (!job) return;
    if (job.timer) clearTimeout(job.timer);
    job.resolve(outcome);
  }

  /** Gives the next waiting job to a free thread; an idle thread must not keep the process alive. */
  private next(): void {
    while (this.queue.length > 0) {
      const thread = this.idleThread();
      if (!thread) break;
      this.start(thread, this.queue.shift()!);
    }
    for (const thread of this.threads) if (thread.job === null) thread.worker.unref();
  }

  private spawn(): Thread<R> {
    const { threadHeapMb } = this.limits;
    const worker = new Worker(this.script, threadHeapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: threadHeapMb } });
    const thread: Thread<R> = { worker, job: null };
    worker.unref();
    worker.on('message', (reply: WorkerReply<R>) => {
      if (thread.job?.seq !== reply.seq) return;
      this.finish(thread, reply.ok ? { ok: true, value: reply.value } : { ok: false, reason: 'failed' });
      this.next();
    });
    // Out of memory ends the thread with an error, then an exit; either fails the job it had, not the server.
    worker.on('error', () => this.replace(thread, 'failed'));
    worker.on('exit', () => this.replace(thread, 'failed'));
    this.threads.push(thread);
    return thread;
  }

  /** Drops a thread that died or overran its job; the next job starts a new one. */
  private replace(thread: Thread<R>, reason: 'busy' | 'failed'): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    this.finish(thread, { ok: false, reason });
    void thread.worker.terminate();
    if (!this.closed) this.next();
  }
}
