import { open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { LineEndingNormalizer } from './line-endings.js';

/** Bytes of the message kept in memory for header checks (From, plugin headers). */
const HEADER_CAPTURE = 64 * 1024;

export interface SpooledMessage {
  path: string;
  /** Bytes received (before line endings were normalised). */
  received: number;
  tooBig: boolean;
  bareLineEndings: boolean;
  /** The first bytes as stored, enough for the header block. */
  head: Buffer;
  /** True when `head` holds the whole stored message, so small messages need not be read back from the file. */
  complete: boolean;
}

/**
 * Streams DATA into a spool file. Past `maxBytes` nothing more is written but the rest is read and dropped, so
 * the client still gets its reply after the final dot (RFC 5321 §4.2.5) instead of a reset connection.
 * The spool file is scratch space: durability comes from the blob store, written before the 250.
 */
export async function spoolData(stream: Readable, path: string, maxBytes: number): Promise<SpooledMessage> {
  const file = await open(path, 'wx', 0o600);
  const normalizer = new LineEndingNormalizer();
  const head: Buffer[] = [];
  let headLength = 0;
  let received = 0;
  let tooBig = false;
  let written = 0;
  const keep = async (bytes: Buffer) => {
    if (headLength < HEADER_CAPTURE) {
      head.push(bytes.subarray(0, HEADER_CAPTURE - headLength));
      headLength += Math.min(bytes.length, HEADER_CAPTURE - headLength);
    }
    written += bytes.length;
    if (bytes.length > 0) await file.write(bytes);
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
    await file.close();
    await rm(path, { force: true });
    throw error;
  }
  await file.close();
  return { path, received, tooBig, bareLineEndings: normalizer.bare, head: Buffer.concat(head), complete: written <= HEADER_CAPTURE };
}
