// The S3 blob store against the file store, in one run: N messages of 4 KB written (each durable before the next
// batch, as delivery needs) then read back by a second store instance (no cache), both against this machine's disk;
// the S3 side goes through a local s3rver, so the figure is the store's own cost plus HTTP, not a network's latency.
// Prints one summary line. Run: npm run build && node dist/bench/s3-blobs.js [messages=2000] [parallel=16]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '../core/blob/blob-store.js';
import { FsBlobStore } from '../core/blob/fs-blob-store.js';
import { S3BlobStore } from '../core/blob/s3-blob-store.js';
import { parseS3Url } from '../core/blob/s3-location.js';
import { S3TestServer } from '../test/support/s3-server.js';

const count = Number(process.argv[2] ?? 2000);
const parallel = Number(process.argv[3] ?? 16);
const messages = Array.from({ length: count }, (_, i) => Buffer.concat([Buffer.from(`Subject: ${i}\r\n\r\n`), randomBytes(4096 - 20)]));

async function timed(work: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function measure(open: () => Promise<BlobStore>): Promise<{ write: number; read: number }> {
  const writer = await open();
  const ids: string[] = [];
  const write = await timed(async (i) => (ids[i] = (await writer.put(messages[i]!)).id));
  const reader = await open();
  const read = await timed(async (i) => reader.get(ids[i]!));
  await Promise.all([writer.close(), reader.close()]);
  return { write, read };
}

const root = mkdtempSync(join(tmpdir(), 'mailhive-bench-blobs-'));
const s3 = await new S3TestServer().start();
try {
  const files = await measure(async () => {
    const store = new FsBlobStore(join(root, 'files'));
    await store.init();
    return store;
  });
  const bucket = await measure(async () => {
    const store = new S3BlobStore({
      location: parseS3Url(s3.url('bench')),
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      forcePathStyle: true,
      cacheBytes: 0,
      spoolDir: join(root, 'spool'),
    });
    await store.init();
    return store;
  });
  const ratio = (a: number, b: number) => (a / b).toFixed(1);
  console.log(
    `s3-blobs: ${count} messages of 4 KB, ${parallel} at a time: S3 (local s3rver) writes ${bucket.write.toFixed(0)}/s and reads ${bucket.read.toFixed(0)}/s; file store writes ${files.write.toFixed(0)}/s and reads ${files.read.toFixed(0)}/s (file store ${ratio(files.write, bucket.write)}x faster writing, ${ratio(files.read, bucket.read)}x reading)`,
  );
} finally {
  await s3.stop();
  rmSync(root, { recursive: true, force: true });
}
