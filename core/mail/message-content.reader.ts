import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, type BlobStore } from '../blob/blob-store.js';

/** Raw message bytes for protocols that send many messages in a row (IMAP FETCH BODY[] of a range). */
@Injectable()
export class MessageContentReader {
  constructor(@Inject(BLOB_STORE) private readonly blobs: BlobStore) {}

  /** The raw messages of the given blobs, in order. */
  readMany(blobIds: readonly string[]): Promise<Buffer[]> {
    return this.blobs.getMany(blobIds);
  }
}
