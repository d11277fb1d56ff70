/** A blob to write: `content` goes to `tmpFile`, is fsynced, then renamed to `target`. */
export interface BlobWriteRequest {
  seq: number;
  tmpFile: string;
  target: string;
  content: Uint8Array;
}

export type BlobWriteReply =
  | { seq: number; ok: true }
  | { seq: number; ok: false; code: string | null; message: string };

/** The writer takes requests a batch at a time and answers each batch with one message. */
export type BlobWriteBatch = BlobWriteRequest[];
export type BlobWriteBatchReply = BlobWriteReply[];
