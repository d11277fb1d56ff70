// The thread side of WorkerPool: imported first by a pool's worker script.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { WorkerJob, WorkerReply } from './worker-job.protocol.js';

/** Niceness of a pool thread (0 normal, 19 lowest). */
const WORKER_NICENESS = 10;

/**
 * Lowers the calling thread's priority: on Linux a priority set with pid 0 applies to that thread only, so the job
 * yields the CPU to the event loop whenever both want it. Call it before loading heavy code, since compiling a
 * sanitiser or a parser is itself CPU work.
 */
export function lowerThreadPriority(): void {
  try {
    setPriority(WORKER_NICENESS);
  } catch {
    // Not permitted (some containers): the thread runs at the process's priority.
  }
}

/** Answers each job from the pool with `handle`; a throw becomes a `failed` outcome for that job only. */
export function serveWorkerJobs<P, R>(handle: (payload: P) => R | Promise<R>): void {
  parentPort!.on('message', ({ seq, payload }: WorkerJob<P>) => {
    Promise.resolve()
      .then(() => handle(payload))
      .then(
        (value) => parentPort!.postMessage({ seq, ok: true, value } satisfies WorkerReply<R>),
        (error: unknown) => parentPort!.postMessage({ seq, ok: false, message: (error as Error).message } satisfies WorkerReply<R>),
      );
  });
}
