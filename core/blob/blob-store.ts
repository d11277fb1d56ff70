import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** SHA-256 of the content, lower-case hex. */
  id: string;
  size: number;
}

/**
 * Content-addressed storage of raw messages. `put` returns only once the content is durable;
 * storing identical content again returns the same id and writes nothing new.
 */
export interface BlobStore {
  put(content: Buffer | Readable): Promise<StoredBlob>;
  get(id: string): Promise<Buffer>;
  /** Several blobs, in the order asked: what IMAP FETCH of many small messages reads. */
  getMany(ids: readonly string[]): Promise<Buffer[]>;
  /** Streams [start, end) of the blob, or all of it. */
  stream(id: string, range?: { start: number; end: number }): Readable;
  exists(id: string): Promise<boolean>;
  /** Size and last write time (ms) of a blob, or null when absent. */
  stat(id: string): Promise<{ size: number; writtenAt: number } | null>;
  /** Ids of the blobs, with the time they were last written (ms), for the sweeper. */
  list(): AsyncIterable<{ id: string; writtenAt: number }>;
  /** Removes the blob; a store that keeps several blobs per file may free the bytes only in `compact`. */
  delete(id: string): Promise<void>;
  /** Frees the space of deleted blobs where `delete` could not at once; the sweeper calls it after each sweep. */
  compact?(): Promise<{ packs: number; bytes: number }>;
  health(): Promise<boolean>;
  /** Releases what the store holds open (writer threads). */
  close(): Promise<void>;
}

export const BLOB_STORE = Symbol('BLOB_STORE');
