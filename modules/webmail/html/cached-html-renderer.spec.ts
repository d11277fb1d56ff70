import { describe, expect, it } from 'vitest';
import { CachedHtmlRenderer } from './cached-html-renderer.js';
import type { HtmlRenderer, HtmlRenderOutcome } from './html-render-pool.js';
import type { HtmlRenderRequest } from './html-render.protocol.js';
import { renderHtml } from './html-render.js';

/** Renders for real, counting renders; `busy` answers the way a full queue does. */
class CountingRenderer implements HtmlRenderer {
  renders = 0;
  busy = false;

  async render(request: HtmlRenderRequest): Promise<HtmlRenderOutcome> {
    if (this.busy) return { ok: false, reason: 'busy' };
    this.renders++;
    await new Promise((resolve) => setImmediate(resolve));
    return { ok: true, result: renderHtml(request) };
  }

  async close(): Promise<void> {}
}

const body = (html: string) => async (): Promise<HtmlRenderRequest> => ({
  kind: 'sanitize',
  body: new Uint8Array(Buffer.from(html)),
  encoding: '7bit',
  charset: null,
  allowRemoteImages: false,
  contentIds: [],
  limitBytes: 1 << 20,
});

describe('CachedHtmlRenderer', () => {
  it('renders a body once for twenty concurrent and later requests', async () => {
    const renderer = new CountingRenderer();
    const cached = new CachedHtmlRenderer(renderer, 1 << 20);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => cached.render('sanitize:blob1', body('<b>hi</b><script>x</script>'))),
    );
    expect(outcomes.every((outcome) => outcome.ok && outcome.result.output === '<b>hi</b>')).toBe(true);
    expect((await cached.render('sanitize:blob1', body('<b>hi</b>'))).ok).toBe(true);
    expect(renderer.renders).toBe(1);
    await cached.render('sanitize:blob2', body('<i>other</i>'));
    expect(renderer.renders).toBe(2);
  });

  it('does not keep a busy refusal', async () => {
    const renderer = new CountingRenderer();
    const cached = new CachedHtmlRenderer(renderer, 1 << 20);
    renderer.busy = true;
    expect(await cached.render('k', body('<p>x</p>'))).toEqual({ ok: false, reason: 'busy' });
    renderer.busy = false;
    expect((await cached.render('k', body('<p>x</p>'))).ok).toBe(true);
  });
});
