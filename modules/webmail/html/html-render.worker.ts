// Runs in a worker thread of the render pool: sanitising a large HTML body takes hundreds of milliseconds of CPU,
// which on the event loop would stall every protocol of every user.
import { lowerThreadPriority, serveWorkerJobs } from '../../../core/util/worker-thread.js';
import type { HtmlRenderRequest, HtmlRenderResult } from './html-render.protocol.js';

// Before the renderer is loaded: compiling the sanitiser and its parsers is itself a few hundred milliseconds of CPU.
lowerThreadPriority();

const { renderHtml } = await import('./html-render.js');

serveWorkerJobs<HtmlRenderRequest, HtmlRenderResult>(renderHtml);
