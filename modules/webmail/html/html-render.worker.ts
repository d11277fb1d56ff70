// Runs in a worker thread of the render pool: sanitising a large HTML body takes hundreds of milliseconds of CPU,
// which on the event loop would stall every protocol of every user.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { HtmlRenderJob, HtmlRenderReply } from './html-render.protocol.js';

/** Niceness of a render thread (0 normal, 19 lowest). */
const RENDER_NICENESS = 10;

// On Linux a priority set with pid 0 applies to the calling thread only: rendering yields the CPU to the event loop
// (and to the other threads of the server) whenever both want it. It is set before the renderer is loaded, since
// compiling the sanitiser and its parsers is itself a few hundred milliseconds of CPU.
try {
  setPriority(RENDER_NICENESS);
} catch {
  // Not permitted (some containers): the thread runs at the process's priority.
}

const { renderHtml } = await import('./html-render.js');

parentPort!.on('message', ({ seq, request }: HtmlRenderJob) => {
  let reply: HtmlRenderReply;
  try {
    reply = { seq, ok: true, result: renderHtml(request) };
  } catch (error) {
    reply = { seq, ok: false, message: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
