import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../util/worker-pool.js';
import { analyzeMessage } from './analyze-message.js';
import type { MessageAnalysis } from './message-analysis.types.js';

/**
 * Analysis threads: one beside the event loop on two cores, two at most, so that deliveries of large messages never
 * take every core from the protocols.
 */
export const ANALYSIS_THREADS = Math.min(2, Math.max(1, availableParallelism() - 1));

/** Large messages waiting for an analysis thread at most; more are refused as `busy` (SMTP 451, IMAP NO [LIMIT]). */
export const ANALYSIS_QUEUE_LIMIT = 64;

/**
 * Refusals are values: `busy` when the queue is full, `failed` when the thread died analysing the message (out of
 * memory); either may succeed later.
 */
export type AnalysisOutcome = { ok: true; analysis: MessageAnalysis } | { ok: false; reason: 'busy' | 'failed' };

export interface MessageAnalyzer {
  /**
   * Analyses on the event loop below the offload size, in a thread from it. With `owned` the caller gives the buffer
   * up: when it is the whole of its memory that memory moves to the thread (and is unusable here afterwards); else
   * the bytes are copied once.
   */
  analyze(raw: Buffer, owned: boolean): Promise<AnalysisOutcome>;
  close(): Promise<void>;
}

/**
 * Analysis threads when the compiled worker script is present and `offloadBytes` is not 0. Running from TypeScript
 * sources (unit tests) the script is not, and every message is analysed on the event loop.
 */
export function createMessageAnalyzer(offloadBytes: number): MessageAnalyzer {
  const script = new URL('./message-analysis.worker.js', import.meta.url);
  const pool = offloadBytes > 0 && existsSync(fileURLToPath(script)) ? new MessageAnalysisPool(script) : null;
  return {
    async analyze(raw, owned) {
      // Posting to a thread costs more than analysing a small message where it is.
      if (!pool || raw.length < offloadBytes) return { ok: true, analysis: await analyzeMessage(raw) };
      return pool.analyze(raw, owned);
    },
    close: async () => pool?.close(),
  };
}

/** The analysis threads; exported for tests, which give it a worker script of their own. */
export class MessageAnalysisPool {
  private readonly pool: WorkerPool<Uint8Array, MessageAnalysis>;

  constructor(script: URL) {
    this.pool = new WorkerPool(script, { threads: ANALYSIS_THREADS, maxQueued: ANALYSIS_QUEUE_LIMIT });
  }

  async analyze(raw: Buffer, owned: boolean): Promise<AnalysisOutcome> {
    // A Buffer that is a view into shared pool memory, or one the caller keeps, must not be detached.
    const whole = owned && raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength && !(raw.buffer instanceof SharedArrayBuffer);
    const bytes = whole ? raw : new Uint8Array(raw);
    const outcome = await this.pool.run(bytes, [bytes.buffer as ArrayBuffer]);
    return outcome.ok ? { ok: true, analysis: outcome.value } : outcome;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
