import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderHtml } from './html-render.js';
import type { HtmlRenderJob, HtmlRenderReply, HtmlRenderRequest, HtmlRenderResult } from './html-render.protocol.js';

/** Limits of the render threads; each has a name in WebmailOptions. */
export interface HtmlRenderPoolLimits {
  /** Worker threads at most. */
  threads: number;
  /** Requests waiting for a thread at most; more are refused as `busy`. */
  maxQueued: number;
  /**
   * A render running longer than this is stopped (its thread is replaced) and counts as `busy`: with the input
   * capped, only a starved thread takes that long, so the body may be tried again later.
   */
  timeoutMs: number;
  /** Old-generation heap of one thread; a render that needs more ends that thread and counts as `failed`. */
  threadHeapMb: number;
}

/**
 * Refusals are values: `busy` when the queue is full or the render ran out of time (try again later), `failed`
 * when the body cannot be rendered within bounds (the renderer threw, or its thread ran out of memory).
 */
export type HtmlRenderOutcome = { ok: true; result: HtmlRenderResult } | { ok: false; reason: 'busy' | 'failed' };

export interface HtmlRenderer {
  /** Renders off the event loop; the request's body buffer is transferred to the thread and unusable afterwards. */
  render(request: HtmlRenderRequest): Promise<HtmlRenderOutcome>;
  close(): Promise<void>;
}

/**
 * The render threads when the compiled worker script is present. Running from TypeScript sources (unit tests) it is
 * not, and bodies are rendered on the event loop instead.
 */
export function createHtmlRenderer(limits: HtmlRenderPoolLimits): HtmlRenderer {
  const script = new URL('./html-render.worker.js', import.meta.url);
  return existsSync(fileURLToPath(script)) ? new HtmlRenderPool(script, limits) : new InlineHtmlRenderer();
}

class InlineHtmlRenderer implements HtmlRenderer {
  async render(request: HtmlRenderRequest): Promise<HtmlRenderOutcome> {
    try {
      return { ok: true, result: renderHtml(request) };
    } catch {
      return { ok: false, reason: 'failed' };
    }
  }

  async close(): Promise<void> {}
}

interface Waiting {
  request: HtmlRenderRequest;
  resolve(outcome: HtmlRenderOutcome): void;
}

interface Thread {
  worker: Worker;
  job: { seq: number; resolve(outcome: HtmlRenderOutcome): void; timer: NodeJS.Timeout } | null;
}

class HtmlRenderPool implements HtmlRenderer {
  private readonly threads: Thread[] = [];
  private readonly queue: Waiting[] = [];
  private seq = 0;
  private closed = false;

  constructor(private readonly script: URL, private readonly limits: HtmlRenderPoolLimits) {}

  render(request: HtmlRenderRequest): Promise<HtmlRenderOutcome> {
    return new Promise<HtmlRenderOutcome>((resolve) => {
      if (this.closed) return resolve({ ok: false, reason: 'busy' });
      const thread = this.idleThread();
      if (thread) return this.start(thread, { request, resolve });
      if (this.queue.length >= this.limits.maxQueued) return resolve({ ok: false, reason: 'busy' });
      this.queue.push({ request, resolve });
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
    return this.threads.find((thread) => thread.job === null) ?? (this.threads.length < this.limits.threads ? this.spawn() : null);
  }

  private start(thread: Thread, { request, resolve }: Waiting): void {
    const seq = ++this.seq;
    const timer = setTimeout(() => this.replace(thread, 'busy'), this.limits.timeoutMs);
    timer.unref();
    thread.job = { seq, resolve, timer };
    thread.worker.ref();
    const job: HtmlRenderJob = { seq, request };
    thread.worker.postMessage(job, [request.body.buffer as ArrayBuffer]);
  }

  private finish(thread: Thread, outcome: HtmlRenderOutcome): void {
    const job = thread.job;
    thread.job = null;
    if (!job) return;
    clearTimeout(job.timer);
    job.resolve(outcome);
  }

  /** Gives the next waiting request to a free thread; an idle thread must not keep the process alive. */
  private next(): void {
    while (this.queue.length > 0) {
      const thread = this.idleThread();
      if (!thread) return;
      this.start(thread, this.queue.shift()!);
    }
    for (const thread of this.threads) if (thread.job === null) thread.worker.unref();
  }

  private spawn(): Thread {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.limits.threadHeapMb } });
    const thread: Thread = { worker, job: null };
    worker.unref();
    worker.on('message', (reply: HtmlRenderReply) => {
      if (thread.job?.seq !== reply.seq) return;
      this.finish(thread, reply.ok ? { ok: true, result: reply.result } : { ok: false, reason: 'failed' });
      this.next();
    });
    // Out of memory ends the thread with an error, then an exit; either fails the job it had.
    worker.on('error', () => this.replace(thread, 'failed'));
    worker.on('exit', () => this.replace(thread, 'failed'));
    this.threads.push(thread);
    return thread;
  }

  /** Drops a thread that died or overran its job; the next request starts a new one. */
  private replace(thread: Thread, reason: 'busy' | 'failed'): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    this.finish(thread, { ok: false, reason });
    void thread.worker.terminate();
    if (!this.closed) this.next();
  }
}
