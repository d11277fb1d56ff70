import { ByteLru } from './byte-lru.js';
import type { HtmlRenderer, HtmlRenderOutcome } from './html-render-pool.js';
import type { HtmlRenderRequest } from './html-render.protocol.js';

type Kept = Exclude<HtmlRenderOutcome, { ok: false; reason: 'busy' }>;

/** Bytes a kept outcome occupies: UTF-16 at worst, plus the entry itself. */
const sizeOf = (outcome: Kept) => (outcome.ok ? outcome.result.output.length * 2 : 0) + 256;

/**
 * Renders each body once: outcomes are kept in an LRU bounded by bytes, and requests for a body that is being
 * rendered wait for that render instead of starting another. A failed render is kept too, so a body that is too
 * costly is not tried again on every request; `busy` is not, as it says nothing about the body.
 */
export class CachedHtmlRenderer {
  private readonly kept: ByteLru<Kept>;
  private readonly running = new Map<string, Promise<HtmlRenderOutcome>>();

  constructor(
    private readonly renderer: HtmlRenderer,
    cacheBytes: number,
    private readonly onOutcome: (result: 'rendered' | 'cached' | 'busy' | 'failed') => void = () => {},
  ) {
    this.kept = new ByteLru(cacheBytes, sizeOf);
  }

  /** `key` names the body and every input of the request; `request` is built only when nothing is kept or running. */
  render(key: string, request: () => Promise<HtmlRenderRequest>): Promise<HtmlRenderOutcome> {
    const kept = this.kept.get(key);
    if (kept) {
      this.onOutcome('cached');
      return Promise.resolve(kept);
    }
    const running = this.running.get(key);
    if (running) {
      this.onOutcome('cached');
      return running;
    }
    const started = (async () => {
      const outcome = await this.renderer.render(await request());
      if (outcome.ok || outcome.reason === 'failed') this.kept.set(key, outcome);
      this.onOutcome(outcome.ok ? 'rendered' : outcome.reason);
      return outcome;
    })().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  close(): Promise<void> {
    return this.renderer.close();
  }
}
