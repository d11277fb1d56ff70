import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CachedHtmlRenderer } from '../html/cached-html-renderer.js';
import { createHtmlRenderer, type HtmlRenderOutcome } from '../html/html-render-pool.js';
import type { HtmlRenderKind, HtmlRenderRequest } from '../html/html-render.protocol.js';
import { htmlRendersTotal } from '../html/html-render.metrics.js';
import { WEBMAIL_OPTIONS, type WebmailOptions } from '../webmail.options.js';

/**
 * Stands for the message id in the attachment URLs of a rendered body, so that one render serves every message
 * stored with the same blob. Random per process, so no message can spell it to have it replaced.
 */
export const MESSAGE_ID_TOKEN = `m${randomBytes(12).toString('hex')}`;

/** Sanitising and HTML-to-text conversion of message bodies, in worker threads, each body once (see CachedHtmlRenderer). */
@Injectable()
export class HtmlRenderService implements OnApplicationShutdown {
  private readonly renderer: CachedHtmlRenderer;

  constructor(@Inject(WEBMAIL_OPTIONS) private readonly options: WebmailOptions) {
    const pool = createHtmlRenderer({
      threads: options.htmlRenderThreads,
      maxQueued: options.htmlRenderQueue,
      timeoutMs: options.htmlRenderTimeoutMs,
      threadHeapMb: options.htmlRenderHeapMb,
    });
    this.renderer = new CachedHtmlRenderer(pool, options.htmlCacheBytes, (result) => htmlRendersTotal.inc({ result }));
  }

  /**
   * The rendered HTML part `path` of blob `blobId`. `request` supplies the body when it has to be rendered; the
   * cache key holds everything else the output depends on.
   */
  render(
    kind: HtmlRenderKind,
    blobId: string,
    path: string,
    allowRemoteImages: boolean,
    request: () => Promise<Omit<HtmlRenderRequest, 'kind' | 'allowRemoteImages' | 'limitBytes'>>,
  ): Promise<HtmlRenderOutcome> {
    const remote = kind === 'sanitize' && allowRemoteImages;
    return this.renderer.render(`${kind}:${blobId}:${path}:${remote ? 'remote' : 'local'}`, async () => ({
      ...(await request()),
      kind,
      allowRemoteImages: remote,
      limitBytes: this.options.htmlInputLimitBytes,
    }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.renderer.close();
  }
}
