// Runs in a worker thread of the analysis pool: analysing a large message (MIME tree, HTML to search text) takes tens
// of milliseconds of CPU, which on the event loop would stall every protocol of every user.
import { lowerThreadPriority, serveWorkerJobs } from '../util/worker-thread.js';
import type { MessageAnalysis } from './message-analysis.types.js';

lowerThreadPriority();

const { analyzeMessage } = await import('./analyze-message.js');

serveWorkerJobs<Uint8Array, MessageAnalysis>((raw) => analyzeMessage(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)));
