import { open, rm, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { LineEndingNormalizer } from './line-endings.js';

/** Bytes of the message kept in memory for header checks (From, plugin headers). */
const HEADER_CAPTURE = 64 * 1024;

export interface SpooledMessage {
  /** The spool file, or null when the message fitted in memory (`complete`). */
  path: string | null;
  /** Bytes received (before line endings were normalised). */
  received: number;
  tooBig: boolean;
  bareLineEndings: boolean;
  /** The first bytes as stored, enough for the header block. */
  head: Buffer;
  /** True when `head` holds the whole message and no spool file was written. */
  complete: boolean;
}

/**
 * Streams DATA into a spool file. The first 64 KB stay in memory and the file is only created when a message
 * grows past them, so a typical message costs no spool file at all. Past `maxBytes` nothing more is kept but the
 * rest is read and dropped, so the client still gets its reply after the final dot (RFC 5321 §4.2.5) instead of a
 * reset connection. The spool file is scratch space: durability comes from the blob store, written before the 250.
 */
export async function spoolData(stream: Readable, path: string, maxBytes: number): Promise<SpooledMessage> {
  const normalizer = new LineEndingNormalizer();
  const head: Buffer[] = [];
  let headLength = 0;
  let received = 0;
  let tooBig = false;
  let file: FileHandle | null = null;
  const keep = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    if (!file && headLength + bytes.length <= HEADER_CAPTURE) {
      head.push(bytes);
      headLength += bytes.length;
      return;
    }
    if (!file) {
      // Spill: everything so far goes to the file first, then this chunk and the rest.
      file = await open(path, 'wx', 0o600);
      for (const part of head) await file.write(part);
    }
    if (headLength < HEADER_CAPTURE) {
      head.push(bytes.subarray(0, HEADER_CAPTURE - headLength));
      headLength += Math.min(bytes.length, HEADER_CAPTURE - headLength);
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
  return { path: spilled ? path : null, received, tooBig, bareLineEndings: normalizer.bare, head: Buffer.concat(head), complete: !spilled };
}

async function discard(file: FileHandle | null, path: string): Promise<void> {
  if (!file) return;
  await file.close();
  await rm(path, { force: true });
}
