import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeMessage } from './analyze-message.js';
import type { AnalysisJob, AnalysisReply } from './message-analysis.protocol.js';
import type { MessageAnalysis } from './message-analysis.types.js';

/**
 * Analysis threads: one beside the event loop on two cores, two at most, so that deliveries of large messages never
 * take every core from the protocols.
 */
export const ANALYSIS_THREADS = Math.min(2, Math.max(1, availableParallelism() - 1));

/** Large messages waiting for an analysis thread at most; more are refused as `busy` (SMTP 451, IMAP NO [LIMIT]). */
export const ANALYSIS_QUEUE_LIMIT = 64;

/**
 * Refusals are values: `busy` when the queue is full, `failed` when the thread died analysing the message (out of
 * memory); either may succeed later.
 */
export type AnalysisOutcome = { ok: true; analysis: MessageAnalysis } | { ok: false; reason: 'busy' | 'failed' };

export interface MessageAnalyzer {
  /**
   * Analyses on the event loop below the offload size, in a thread from it. With `owned` the caller gives the buffer
   * up: when it is the whole of its memory that memory moves to the thread (and is unusable here afterwards); else
   * the bytes are copied once.
   */
  analyze(raw: Buffer, owned: boolean): Promise<AnalysisOutcome>;
  close(): Promise<void>;
}

/**
 * Analysis threads when the compiled worker script is present and `offloadBytes` is not 0. Running from TypeScript
 * sources (unit tests) the script is not, and every message is analysed on the event loop.
 */
export function createMessageAnalyzer(offloadBytes: number): MessageAnalyzer {
  const script = new URL('./message-analysis.worker.js', import.meta.url);
  const pool = offloadBytes > 0 && existsSync(fileURLToPath(script)) ? new MessageAnalysisPool(script) : null;
  return {
    async analyze(raw, owned) {
      // Posting to a thread costs more than analysing a small message where it is.
      if (!pool || raw.length < offloadBytes) return { ok: true, analysis: await analyzeMessage(raw) };
      return pool.analyze(raw, owned);
    },
    close: async () => pool?.close(),
  };
}

interface Waiting {
  raw: Uint8Array;
  resolve(outcome: AnalysisOutcome): void;
}

interface Thread {
  worker: Worker;
  job: { seq: number; resolve(outcome: AnalysisOutcome): void } | null;
}

/** The threads themselves; exported for tests, which give it a worker script of their own. */
export class MessageAnalysisPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Waiting[] = [];
  private seq = 0;
  private closed = false;

  constructor(private readonly script: URL) {}

  analyze(raw: Buffer, owned: boolean): Promise<AnalysisOutcome> {
    return new Promise<AnalysisOutcome>((resolve) => {
      if (this.closed) return resolve({ ok: false, reason: 'busy' });
      const thread = this.idleThread();
      if (!thread && this.queue.length >= ANALYSIS_QUEUE_LIMIT) return resolve({ ok: false, reason: 'busy' });
      // A Buffer that is a view into shared pool memory, or one the caller keeps, must not be detached.
      const whole = owned && raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength && !(raw.buffer instanceof SharedArrayBuffer);
      const waiting = { raw: whole ? raw : new Uint8Array(raw), resolve };
      if (thread) this.start(thread, waiting);
      else this.queue.push(waiting);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.resolve({ ok: false, reason: 'busy' });
    await Promise.all(this.threads.splice(0).map((thread) => {
      this.finish(thread, { ok: false, reason: 'busy' });
      return thread.worker.terminate();
    }));
  }

  private idleThread(): Thread | null {
    return this.threads.find((thread) => thread.job === null) ?? (this.threads.length < ANALYSIS_THREADS ? this.spawn() : null);
  }

  private start(thread: Thread, { raw, resolve }: Waiting): void {
    const seq = ++this.seq;
    thread.job = { seq, resolve };
    thread.worker.ref();
    const job: AnalysisJob = { seq, raw };
    thread.worker.postMessage(job, [raw.buffer as ArrayBuffer]);
  }

  private finish(thread: Thread, outcome: AnalysisOutcome): void {
    const job = thread.job;
    thread.job = null;
    job?.resolve(outcome);
  }

  /** Gives the next waiting message to a free thread; an idle thread must not keep the process alive. */
  private next(): void {
    while (this.queue.length > 0) {
      const thread = this.idleThread();
      if (!thread) break;
      this.start(thread, this.queue.shift()!);
    }
    for (const thread of this.threads) if (thread.job === null) thread.worker.unref();
  }

  private spawn(): Thread {
    const worker = new Worker(this.script);
    const thread: Thread = { worker, job: null };
    worker.unref();
    worker.on('message', (reply: AnalysisReply) => {
      if (thread.job?.seq !== reply.seq) return;
      this.finish(thread, reply.ok ? { ok: true, analysis: reply.analysis } : { ok: false, reason: 'failed' });
      this.next();
    });
    // Out of memory ends the thread with an error, then an exit; either fails the message it had, not the server.
    worker.on('error', () => this.replace(thread));
    worker.on('exit', () => this.replace(thread));
    this.threads.push(thread);
    return thread;
  }

  /** Drops a thread that died; the next message starts a new one. */
  private replace(thread: Thread): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    this.finish(thread, { ok: false, reason: 'failed' });
    void thread.worker.terminate();
    if (!this.closed) this.next();
  }
}
