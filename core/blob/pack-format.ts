// The record format of pack files: small blobs appended one after another, so that a batch of them costs one write
// and one fdatasync instead of a file, an inode and two syncs each.
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';

/** Blobs up to this size go into packs; larger ones (rare, and costly to copy in compaction) get a file each. */
export const PACK_MAX_BLOB = 1024 * 1024;

export const enum RecordKind {
  /** The content of a blob. */
  Blob = 1,
  /** A blob stored again: its content is elsewhere, only its time is new (what keeps it from the sweeper). */
  Touch = 2,
  /** A deleted blob: records of the id with an earlier time no longer count. */
  Tombstone = 3,
  /** Ends a batch: readers take no record beyond the last one, since a batch is complete only up to its commit. */
  Commit = 4,
}

/** magic u32, kind u8, 3 reserved, time f64 (ms), content length u32, reserved u32, id 32 bytes. */
export const HEADER_SIZE = 56;
const MAGIC = 0x4b50484d;
const ZERO_ID = '0'.repeat(64);

export interface PackRecord {
  kind: RecordKind;
  id: string;
  time: number;
  /** Offset of the content in the pack. */
  offset: number;
  length: number;
}

export function encodeRecord(kind: RecordKind, id: string, time: number, content?: Uint8Array): Buffer[] {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt8(kind, 4);
  header.writeDoubleLE(time, 8);
  header.writeUInt32LE(content?.length ?? 0, 16);
  header.write(id, 24, 32, 'hex');
  return content ? [header, Buffer.from(content.buffer, content.byteOffset, content.length)] : [header];
}

export function encodeCommit(time: number): Buffer {
  return encodeRecord(RecordKind.Commit, ZERO_ID, time)[0]!;
}

export interface ScanResult {
  /** Records of complete batches, in pack order. */
  records: PackRecord[];
  /** Where the next scan starts: after the last commit. */
  committedTo: number;
}

/** Bytes read at once while scanning: headers of small records come several per read. */
const SCAN_CHUNK = 256 * 1024;

/**
 * Reads the records of `fd` from `from` (a record boundary) to `size`. A header that does not parse ends the scan:
 * it is the torn tail of a batch whose writer died. With `verify`, the content of the last batch is checked against
 * its ids and a record that does not match is left out. Only the last batch needs it: a writer syncs each batch
 * before it writes the next, so of a writer that died mid-sync only its last commit can be there without all of its
 * content. A pack followed while it grows has each batch checked as it comes.
 */
export function scanPack(fd: number, from: number, size: number, verify: boolean): ScanResult {
  const records: PackRecord[] = [];
  let batch: PackRecord[] = [];
  let lastBatch: PackRecord[] = [];
  let committedTo = from;
  let chunk = Buffer.alloc(0);
  let chunkStart = from;
  const read = (offset: number, length: number): Buffer | null => {
    if (offset + length > size) return null;
    if (offset < chunkStart || offset + length > chunkStart + chunk.length) {
      const buffer = Buffer.allocUnsafe(Math.max(length, Math.min(SCAN_CHUNK, size - offset)));
      const got = readSync(fd, buffer, 0, buffer.length, offset);
      chunk = buffer.subarray(0, got);
      chunkStart = offset;
      if (got < length) return null;
    }
    return chunk.subarray(offset - chunkStart, offset - chunkStart + length);
  };
  let offset = from;
  for (;;) {
    const header = read(offset, HEADER_SIZE);
    if (!header || header.readUInt32LE(0) !== MAGIC) break;
    const kind = header.readUInt8(4) as RecordKind;
    const record: PackRecord = {
      kind,
      time: header.readDoubleLE(8),
      length: header.readUInt32LE(16),
      id: header.toString('hex', 24, 56),
      offset: offset + HEADER_SIZE,
    };
    if (kind < RecordKind.Blob || kind > RecordKind.Commit || record.offset + record.length > size) break;
    offset = record.offset + record.length;
    if (kind === RecordKind.Commit) {
      records.push(...lastBatch);
      lastBatch = batch;
      batch = [];
      committedTo = offset;
      continue;
    }
    batch.push(record);
  }
  const intact = (record: PackRecord) => {
    if (record.kind !== RecordKind.Blob) return true;
    const content = read(record.offset, record.length);
    return content !== null && createHash('sha256').update(content).digest('hex') === record.id;
  };
  records.push(...(verify ? lastBatch.filter(intact) : lastBatch));
  return { records, committedTo };
}
