import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { copyBlobs } from '../../core/blob/blob-migration.js';
import { openBlobStoreAt } from '../../core/blob/open-blob-store.js';
import { isS3Url, parseS3Url } from '../../core/blob/s3-location.js';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { MailError } from '../../core/mail/mail.errors.js';
import { UsageError } from './cli-error.js';

type Handler = (args: string[], config: MailhiveConfig, logger: Logger, io: { out(line: string): void }) => Promise<void>;

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The store to copy from: --from, else the configured one; once MAILHIVE_BLOB_DIR already names the target (the
 * nodes were switched), the old store is MAILHIVE_BLOB_FALLBACK_DIR.
 */
function sourceOf(from: string | undefined, to: string, config: MailhiveConfig): string {
  if (from) return from;
  const configured = config.blobDir ?? join(config.dataDir, 'blobs');
  if (configured !== to) return configured;
  if (!config.blobFallbackDir)
    throw new UsageError('MAILHIVE_BLOB_DIR is the target already and no MAILHIVE_BLOB_FALLBACK_DIR is set: give --from');
  return config.blobFallbackDir;
}

export const BLOB_COMMANDS: Record<string, Handler> = {
  'blobs migrate': async (args, config, _logger, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { to: { type: 'string' }, from: { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.to) throw new UsageError('--to s3://BUCKET/PREFIX or DIR is required');
    if (isS3Url(values.to)) {
      try {
        parseS3Url(values.to);
      } catch (error) {
        throw new UsageError(`--to: ${(error as Error).message}`);
      }
    }
    const from = sourceOf(values.from, values.to, config);
    if (from === values.to) throw new UsageError('--from and --to name the same store');
    const source = await openBlobStoreAt(from, config);
    try {
      const target = await openBlobStoreAt(values.to, config).catch((error: Error) => {
        throw new MailError('CANNOT', error.message);
      });
      try {
        const report = await copyBlobs(source, target, (so) => io.out(`... ${so.copied} copied, ${so.present} there already`));
        io.out(
          `${report.copied} blobs copied (${mebibytes(report.bytes)}) and read back; ${report.present} there already; ${report.gone} deleted meanwhile`,
        );
        for (const failure of report.failed.slice(0, 20)) io.out(`failed: ${failure.id}: ${failure.reason}`);
        if (report.failed.length > 0)
          throw new MailError('CANNOT', `${report.failed.length} blobs could not be copied; run the command again`);
        const switched = (config.blobDir ?? '') === values.to;
        io.out(
          switched
            ? 'done: if every node writes to the new store, MAILHIVE_BLOB_FALLBACK_DIR can go'
            : `next: set MAILHIVE_BLOB_DIR=${values.to} and MAILHIVE_BLOB_FALLBACK_DIR=${from} on each node in turn, then run this command again`,
        );
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  },
};
