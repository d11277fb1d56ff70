import type { PackAppend, PackPlacement } from './pack-writer.js';

/** A record for a writer's pack; `seq` pairs it with its reply. */
export interface BlobWriteRequest extends PackAppend {
  seq: number;
}

export type BlobWriteReply = ({ seq: number; ok: true } & PackPlacement) | { seq: number; ok: false; code: string | null; message: string };

/** The writer takes requests a batch at a time and answers each batch with one message. */
export type BlobWriteBatch = BlobWriteRequest[];
export type BlobWriteBatchReply = BlobWriteReply[];
