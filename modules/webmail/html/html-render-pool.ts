import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WorkerPool, type WorkerPoolLimits } from '../../../core/util/worker-pool.js';
import { renderHtml } from './html-render.js';
import type { HtmlRenderRequest, HtmlRenderResult } from './html-render.protocol.js';

/** Limits of the render threads, each named in WebmailOptions: a render's time and a thread's heap are always bounded. */
export type HtmlRenderPoolLimits = Required<WorkerPoolLimits>;

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

/** The render threads; a thread's heap and a render's time are bounded (HtmlRenderPoolLimits). */
class HtmlRenderPool implements HtmlRenderer {
  private readonly pool: WorkerPool<HtmlRenderRequest, HtmlRenderResult>;

  constructor(script: URL, limits: HtmlRenderPoolLimits) {
    this.pool = new WorkerPool(script, limits);
  }

  async render(request: HtmlRenderRequest): Promise<HtmlRenderOutcome> {
    const outcome = await this.pool.run(request, [request.body.buffer as ArrayBuffer]);
    return outcome.ok ? { ok: true, result: outcome.value } : outcome;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
