import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3TestServer } from '../../test/support/s3-server.js';
import { MULTIPART_THRESHOLD, S3BlobStore } from './s3-blob-store.js';
import { parseS3Url } from './s3-location.js';

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function read(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function collect(store: S3BlobStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const blob of store.list()) ids.push(blob.id);
  return ids.sort();
}

/** The BlobStore contract on a real S3-protocol server (s3rver), as two nodes sharing one bucket see it. */
describe('S3 blob store', () => {
  let s3: S3TestServer;
  const open = async (prefix: string, cacheBytes = 1024 * 1024) => {
    const store = new S3BlobStore({
      location: parseS3Url(s3.url(prefix)),
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      forcePathStyle: true,
      cacheBytes,
      spoolDir: mkdtempSync(join(tmpdir(), 'mailhive-s3-spool-')),
    });
    await store.init();
    return store;
  };

  beforeAll(async () => {
    s3 = await new S3TestServer().start();
  });

  afterAll(async () => {
    await s3?.stop();
  });

  it('stores content under its SHA-256, once, and reads it whole, in ranges and in batches', async () => {
    const store = await open('contract');
    const content = Buffer.from('Subject: hello\r\n\r\nbody\r\n');
    const sha = sha256(content);
    expect(await store.put(content)).toEqual({ id: sha, size: content.length });
    expect(await store.put(Readable.from([content.subarray(0, 5), content.subarray(5)]))).toEqual({ id: sha, size: content.length });
    expect(await collect(store)).toEqual([sha]);
    expect(await store.get(sha)).toEqual(content);
    expect((await read(store.stream(sha, { start: 9, end: 14 }))).toString()).toBe('hello');
    expect((await read(store.stream(sha, { start: 20, end: 500 }))).toString()).toBe('dy\r\n');
    expect((await read(store.stream(sha, { start: 500, end: 600 }))).length).toBe(0);
    expect((await read(store.stream(sha))).toString()).toBe(content.toString());
    expect(await store.getMany([sha, sha])).toEqual([content, content]);
    expect(await store.stat(sha)).toMatchObject({ size: content.length });
    expect(await store.exists(sha)).toBe(true);
    expect(await store.health()).toBe(true);
    await store.delete(sha);
    expect(await store.exists(sha)).toBe(false);
    expect(await store.stat(sha)).toBeNull();
    await expect(store.get(sha)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(read(store.stream(sha))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await collect(store)).toEqual([]);
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/invalid blob id/);
    await store.close();
  });

  it('has a write durable in the bucket when put resolves: another node reads it, and sees its delete', async () => {
    const nodeA = await open('shared');
    const nodeB = await open('shared');
    const contents = Array.from({ length: 40 }, (_, i) => Buffer.from(`Subject: ${i}\r\n\r\n${randomBytes(2000).toString('base64')}\r\n`));
    const stored = await Promise.all(contents.map((content) => nodeA.put(content)));
    expect(await nodeB.getMany(stored.map((blob) => blob.id))).toEqual(contents);
    expect(await collect(nodeB)).toEqual(stored.map((blob) => blob.id).sort());
    await nodeB.delete(stored[0]!.id);
    expect(await nodeA.stat(stored[0]!.id)).toBeNull();
    await Promise.all([nodeA.close(), nodeB.close()]);
  });

  it('uploads a large streamed message in parts and reads it back byte for byte', async () => {
    const store = await open('large');
    const content = randomBytes(MULTIPART_THRESHOLD + 3 * 1024 * 1024);
    const chunks = Array.from({ length: Math.ceil(content.length / 65536) }, (_, i) => content.subarray(i * 65536, (i + 1) * 65536));
    const stored = await store.put(Readable.from(chunks));
    expect(stored).toEqual({ id: sha256(content), size: content.length });
    const other = await open('large');
    expect(sha256(await other.get(stored.id))).toBe(stored.id);
    expect(await read(other.stream(stored.id, { start: 9_000_000, end: 9_000_100 }))).toEqual(content.subarray(9_000_000, 9_000_100));
    await Promise.all([store.close(), other.close()]);
  });

  it('refreshes the time of content stored again, so a sweep elsewhere keeps it', async () => {
    const store = await open('refresh');
    const content = Buffer.from('Subject: again\r\n\r\n');
    const { id } = await store.put(content);
    const first = (await store.stat(id))!.writtenAt;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await store.put(content);
    expect((await store.stat(id))!.writtenAt).toBeGreaterThan(first);
    await store.close();
  });

  it('refuses to open on a bucket that does not exist, saying so', async () => {
    const store = new S3BlobStore({
      location: parseS3Url('s3://no-such-bucket/x'),
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      forcePathStyle: true,
      cacheBytes: 1024,
      spoolDir: mkdtempSync(join(tmpdir(), 'mailhive-s3-spool-')),
    });
    await expect(store.init()).rejects.toThrow('cannot reach the blob store s3://no-such-bucket/x: no such bucket');
    await store.close();
  });
});
