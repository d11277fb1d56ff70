import { open, rm, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { MAX_HEADER_BYTES } from './header-limit.js';
import { LineEndingNormalizer } from './line-endings.js';

/** A message up to this size stays in memory and never gets a spool file. */
const IN_MEMORY_MESSAGE = 64 * 1024;
/**
 * Bytes of the message start kept in memory for the header checks (From, plugin headers): one byte more than the
 * largest header block accepted, so a header that does not end within it is known to be too large.
 */
const HEAD_CAPTURE = MAX_HEADER_BYTES + 1;

export interface SpooledMessage {
  /** The spool file, or null when the message fitted in memory (`complete`). */
  path: string | null;
  /** Bytes received (before line endings were normalised). */
  received: number;
  tooBig: boolean;
  bareLineEndings: boolean;
  /** The first bytes as stored (up to MAX_HEADER_BYTES + 1), enough for any header block that is accepted. */
  head: Buffer;
  /** True when the message as stored is longer than `head`. */
  headTruncated: boolean;
  /** True when `head` holds the whole message and no spool file was written. */
  complete: boolean;
}

/**
 * Streams DATA into a spool file. A message of up to 64 KiB stays in memory and the file is only created when a
 * message grows past that, so a typical message costs no spool file at all; of a larger one the first
 * MAX_HEADER_BYTES + 1 bytes stay in memory as well, so the whole header block can be checked. Past `maxBytes` nothing more is kept but the
 * rest is read and dropped, so the client still gets its reply after the final dot (RFC 5321 §4.2.5) instead of a
 * reset connection. The spool file is scratch space: durability comes from the blob store, written before the 250.
 */
export async function spoolData(stream: Readable, path: string, maxBytes: number): Promise<SpooledMessage> {
  const normalizer = new LineEndingNormalizer();
  const head: Buffer[] = [];
  let headLength = 0;
  let stored = 0;
  let received = 0;
  let tooBig = false;
  let file: FileHandle | null = null;
  const keep = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    stored += bytes.length;
    if (!file && stored <= IN_MEMORY_MESSAGE) {
      head.push(bytes);
      headLength += bytes.length;
      return;
    }
    if (!file) {
      // Spill: everything so far goes to the file first, then this chunk and the rest.
      file = await open(path, 'wx', 0o600);
      for (const part of head) await file.write(part);
    }
    if (headLength < HEAD_CAPTURE) {
      const take = Math.min(bytes.length, HEAD_CAPTURE - headLength);
      head.push(bytes.subarray(0, take));
      headLength += take;
    }
    await file.write(bytes);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (tooBig) continue;
      if (received > maxBytes) {
        tooBig = true;
        continue;
      }
      await keep(normalizer.push(chunk));
    }
    if (!tooBig) await keep(normalizer.end());
  } catch (error) {
    await discard(file, path);
    throw error;
  }
  const spilled = file !== null;
  await (file as FileHandle | null)?.close();
  return {
    path: spilled ? path : null,
    received,
    tooBig,
    bareLineEndings: normalizer.bare,
    head: Buffer.concat(head),
    headTruncated: stored > headLength,
    complete: !spilled,
  };
}

async function discard(file: FileHandle | null, path: string): Promise<void> {
  if (!file) return;
  await file.close();
  await rm(path, { force: true });
}
