import type { MessageAnalysis } from './message-analysis.types.js';

/** A raw message for an analysis thread; `seq` pairs it with its reply. The bytes are transferred, not copied. */
export interface AnalysisJob {
  seq: number;
  raw: Uint8Array;
}

export type AnalysisReply =
  | { seq: number; ok: true; analysis: MessageAnalysis }
  | { seq: number; ok: false; message: string };
