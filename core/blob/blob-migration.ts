import type { BlobStore } from './blob-store.js';

export interface MigrationReport {
  copied: number;
  bytes: number;
  /** Already in the target with the same size. */
  present: number;
  /** Listed by the source but deleted (swept) before they could be read. */
  gone: number;
  /** Could not be copied or did not read back as written; the move must not be finished while any remain. */
  failed: { id: string; reason: string }[];
}

/** Blobs copied at once: enough to keep an S3 connection pool busy, few enough for a node that is serving mail. */
const PARALLEL_COPIES = 8;

/**
 * Copies every blob of `source` that `target` lacks, and checks each copy: the target's id for the content must be
 * the blob's id (its SHA-256) and the target must then hold that many bytes. Safe to run while nodes write to
 * either store, and again: what is there already is skipped.
 */
export async function copyBlobs(
  source: BlobStore,
  target: BlobStore,
  progress?: (report: MigrationReport) => void,
): Promise<MigrationReport> {
  const report: MigrationReport = { copied: 0, bytes: 0, present: 0, gone: 0, failed: [] };
  const copyOne = async (id: string) => {
    try {
      const there = await target.stat(id);
      const here = await source.stat(id);
      if (!here) {
        report.gone++;
        return;
      }
      if (there && there.size === here.size) {
        report.present++;
        return;
      }
      const content = await source.get(id);
      const stored = await target.put(content);
      const check = await target.stat(id);
      if (stored.id !== id || !check || check.size !== content.length)
        throw new Error(`the copy reads back as ${stored.id} (${check?.size ?? 'no'} bytes)`);
      report.copied++;
      report.bytes += content.length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') report.gone++;
      else report.failed.push({ id, reason: (error as Error).message });
    }
  };
  const inFlight = new Set<Promise<void>>();
  let seen = 0;
  for await (const { id } of source.list()) {
    const copy = copyOne(id).finally(() => inFlight.delete(copy));
    inFlight.add(copy);
    if (inFlight.size >= PARALLEL_COPIES) await Promise.race(inFlight);
    if (++seen % 1000 === 0) progress?.(report);
  }
  await Promise.all(inFlight);
  return report;
}
