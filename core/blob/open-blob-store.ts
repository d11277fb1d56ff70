import { join } from 'node:path';
import type { MailhiveConfig } from '../config/config.schema.js';
import type { BlobStore } from './blob-store.js';
import { FallbackBlobStore } from './fallback-blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';
import { isS3Url, parseS3Url } from './s3-location.js';

/** The store at `location` (a directory or s3://bucket/prefix), opened and ready. */
export async function openBlobStoreAt(location: string, config: MailhiveConfig): Promise<BlobStore> {
  if (isS3Url(location)) {
    const store = new S3BlobStore({
      location: parseS3Url(location),
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      accessKey: config.s3AccessKey,
      secretKey: config.s3SecretKey,
      forcePathStyle: config.s3ForcePathStyle,
      cacheBytes: config.s3CacheSize,
      spoolDir: join(config.dataDir, 's3-spool'),
    });
    await store.init();
    return store;
  }
  const store = new FsBlobStore(location);
  await store.init();
  return store;
}

/** The blob store the configuration names, with the old store behind it while a move is under way. */
export async function openBlobStore(config: MailhiveConfig): Promise<BlobStore> {
  const primary = await openBlobStoreAt(config.blobDir ?? join(config.dataDir, 'blobs'), config);
  if (!config.blobFallbackDir) return primary;
  return new FallbackBlobStore(primary, await openBlobStoreAt(config.blobFallbackDir, config));
}
