import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FsBlobStore as FsBlobStoreType } from './fs-blob-store.js';

// The writer threads run compiled JavaScript only (`npm test` builds first), so this drives the compiled store.
const { FsBlobStore } = await import(new URL('../../dist/core/blob/fs-blob-store.js', import.meta.url).href) as { FsBlobStore: typeof FsBlobStoreType };

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

describe('blob writer threads', () => {
  it('write a batch of concurrent blobs, a duplicate among them, and leave no temporary file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blob-writers-'));
    const store = new FsBlobStore(root);
    await store.init();
    const contents = Array.from({ length: 40 }, (_, i) => Buffer.from(`Subject: ${i}\r\n\r\n${'x'.repeat(4000)}\r\n`));
    contents.push(contents[3]!);
    // Far more writes than writers: those waiting go over as batches.
    const stored = await Promise.all(contents.map((content) => store.put(content)));
    expect(stored.map((blob) => blob.id)).toEqual(contents.map(sha256));
    for (const [i, content] of contents.entries()) expect(await store.get(stored[i]!.id)).toEqual(content);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    await store.close();
  });

  it('fail only the blob whose directory cannot be made, and store the rest of its batch', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blob-writers-'));
    const store = new FsBlobStore(root);
    await store.init();
    const contents = Array.from({ length: 30 }, (_, i) => Buffer.from(`Subject: batch ${i}\r\n\r\nbody\r\n`));
    // A file where the first blob's directory should be: its rename and mkdir both fail.
    const blocked = sha256(contents[0]!);
    mkdirSync(join(root, blocked.slice(0, 2)), { recursive: true });
    writeFileSync(join(root, blocked.slice(0, 2), blocked.slice(2, 4)), 'not a directory');
    const results = await Promise.allSettled(contents.map((content) => store.put(content)));
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) } });
    const others = contents.filter((content) => !sha256(content).startsWith(blocked.slice(0, 4)));
    for (const content of others) expect(await store.get(sha256(content))).toEqual(content);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    await store.close();
  });
});
