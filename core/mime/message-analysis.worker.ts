// Runs in a worker thread of the analysis pool: analysing a large message (MIME tree, HTML to search text) takes tens
// of milliseconds of CPU, which on the event loop would stall every protocol of every user.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { AnalysisJob, AnalysisReply } from './message-analysis.protocol.js';

/** Niceness of an analysis thread (0 normal, 19 lowest). */
const ANALYSIS_NICENESS = 10;

// On Linux a priority set with pid 0 applies to the calling thread only: analysis yields the CPU to the event loop
// whenever both want it, so a burst of large deliveries does not delay the answers to other clients.
try {
  setPriority(ANALYSIS_NICENESS);
} catch {
  // Not permitted (some containers): the thread runs at the process's priority.
}

const { analyzeMessage } = await import('./analyze-message.js');

parentPort!.on('message', ({ seq, raw }: AnalysisJob) => {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  analyzeMessage(bytes).then(
    (analysis) => parentPort!.postMessage({ seq, ok: true, analysis } satisfies AnalysisReply),
    (error: unknown) => parentPort!.postMessage({ seq, ok: false, message: (error as Error).message } satisfies AnalysisReply),
  );
});
