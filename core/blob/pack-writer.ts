// Appends batches of records to this writer's own pack file. Blocking calls: it runs in a blob writer thread.
import { randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, fstatSync, fsyncSync, openSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCommit, encodeRecord, HEADER_SIZE, RecordKind } from './pack-format.js';

/** A pack this large is finished and the next batch starts a new one. */
export const PACK_ROTATE_BYTES = 64 * 1024 * 1024;
/**
 * A pack idle this long is finished too. Compaction only rewrites packs untouched for much longer (FINISHED_PACK_MS
 * in pack-index.ts), so it never rewrites a pack that a live writer could still append to.
 */
export const PACK_IDLE_MS = 10 * 60 * 1000;

export interface PackAppend {
  kind: RecordKind.Blob | RecordKind.Touch | RecordKind.Tombstone;
  id: string;
  content?: Uint8Array;
  /** Compaction keeps a record's original time; a new write takes the time of its batch. */
  time?: number;
}

export interface PackPlacement {
  pack: string;
  /** Offset of the content. */
  offset: number;
  time: number;
}

export class PackWriter {
  private fd: number | null = null;
  private name = '';
  private size = 0;
  private lastAppend = 0;

  constructor(private readonly dir: string) {}

  /**
   * Writes the batch and its commit record in one call and syncs once; only then is any of it durable, so the
   * caller answers every request of the batch after this returns, or fails them all when it throws.
   */
  append(batch: readonly PackAppend[]): PackPlacement[] {
    const now = Date.now();
    if (this.fd === null || this.size >= PACK_ROTATE_BYTES || now - this.lastAppend > PACK_IDLE_MS || this.removed()) this.rotate();
    const buffers: Buffer[] = [];
    const placements: PackPlacement[] = [];
    let offset = this.size;
    for (const request of batch) {
      const time = request.time ?? now;
      const parts = encodeRecord(request.kind, request.id, time, request.kind === RecordKind.Blob ? request.content : undefined);
      buffers.push(...parts);
      placements.push({ pack: this.name, offset: offset + HEADER_SIZE, time });
      for (const part of parts) offset += part.length;
    }
    buffers.push(encodeCommit(now));
    offset += HEADER_SIZE;
    try {
      writeAll(this.fd!, buffers, this.size);
      fdatasyncSync(this.fd!);
    } catch (error) {
      // What the failed batch left may be half written: the next batch goes to a new pack, past nothing torn.
      this.close();
      throw error;
    }
    this.size = offset;
    this.lastAppend = now;
    return placements;
  }

  /** True when the current pack is no longer in the directory (compacted or removed by hand): its appends would be lost. */
  private removed(): boolean {
    return fstatSync(this.fd!).nlink === 0;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** A new pack of this writer's own; its directory entry is synced before any record counts on it. */
  private rotate(): void {
    this.close();
    this.name = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.pack`;
    this.fd = openSync(join(this.dir, this.name), 'wx');
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    this.size = 0;
  }
}

function writeAll(fd: number, buffers: Buffer[], position: number): void {
  let pending = buffers;
  let at = position;
  while (pending.length > 0) {
    // writev takes at most IOV_MAX (1024) buffers at once.
    const slice = pending.slice(0, 1024);
    let written = writevSync(fd, slice, at);
    at += written;
    let used = 0;
    while (used < slice.length && written >= slice[used]!.length) written -= slice[used++]!.length;
    pending = used < slice.length ? [slice[used]!.subarray(written), ...pending.slice(used + 1)] : pending.slice(used);
  }
}
