import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FsBlobStore as FsBlobStoreType } from './fs-blob-store.js';

// The writer threads run compiled JavaScript only (`npm test` builds first), so this drives the compiled store.
const { FsBlobStore } = (await import(new URL('../../dist/core/blob/fs-blob-store.js', import.meta.url).href)) as {
  FsBlobStore: typeof FsBlobStoreType;
};

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

describe('blob writer threads', () => {
  it('append concurrent blobs in batches to packs of their own, a duplicate among them, readable after a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blob-writers-'));
    const store = new FsBlobStore(root);
    await store.init();
    const contents = Array.from({ length: 40 }, (_, i) => Buffer.from(`Subject: ${i}\r\n\r\n${'x'.repeat(4000)}\r\n`));
    contents.push(contents[3]!);
    // Far more writes than writers: those waiting go over as batches.
    const stored = await Promise.all(contents.map((content) => store.put(content)));
    expect(stored.map((blob) => blob.id)).toEqual(contents.map(sha256));
    expect(await store.getMany(stored.map((blob) => blob.id))).toEqual(contents);
    await store.close();
    const packs = readdirSync(join(root, 'packs'));
    expect(packs.length).toBeGreaterThanOrEqual(1);
    expect(packs.length).toBeLessThanOrEqual(2);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    const restarted = new FsBlobStore(root);
    await restarted.init();
    for (const [i, content] of contents.entries()) expect(await restarted.get(stored[i]!.id)).toEqual(content);
    await restarted.close();
  });

  it('delete and store again through the threads, in the order the calls were made', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blob-writers-'));
    const store = new FsBlobStore(root);
    await store.init();
    const content = Buffer.from('Subject: again\r\n\r\nbody\r\n');
    const { id } = await store.put(content);
    await store.delete(id);
    expect(await store.exists(id)).toBe(false);
    await store.put(content);
    expect(await store.get(id)).toEqual(content);
    await store.close();
    const restarted = new FsBlobStore(root);
    await restarted.init();
    expect(await restarted.get(id)).toEqual(content);
    await restarted.close();
  });
});
