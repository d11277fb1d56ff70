import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from './fs-blob-store.js';

async function collect(store: FsBlobStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const blob of store.list()) ids.push(blob.id);
  return ids.sort();
}

describe('filesystem blob store', () => {
  it('stores content under its SHA-256, once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'));
    const store = new FsBlobStore(root);
    await store.init();
    const content = Buffer.from('Subject: hello\r\n\r\nbody\r\n');
    const sha = createHash('sha256').update(content).digest('hex');
    expect(await store.put(content)).toEqual({ id: sha, size: content.length });
    expect(await store.put(Readable.from([content.subarray(0, 5), content.subarray(5)]))).toEqual({ id: sha, size: content.length });
    expect(await collect(store)).toEqual([sha]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect(await store.get(sha)).toEqual(content);
    const part: Buffer[] = [];
    for await (const chunk of store.stream(sha, { start: 9, end: 14 })) part.push(chunk as Buffer);
    expect(Buffer.concat(part).toString()).toBe('hello');
  });

  it('never shows a blob whose write did not reach its rename, and clears old left-overs at start', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'));
    const store = new FsBlobStore(root);
    await store.init();
    // What a crash between write and rename leaves behind: a file in tmp/ only.
    const crashed = join(root, 'tmp', `${Date.now()}-deadbeef`);
    writeFileSync(crashed, 'half a message');
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(crashed, hourAgo, hourAgo);
    // A write in progress in another process right now.
    const inProgress = join(root, 'tmp', `${Date.now()}-cafebabe`);
    writeFileSync(inProgress, 'being written');
    expect(await collect(store)).toEqual([]);
    const restarted = new FsBlobStore(root);
    await restarted.init();
    expect(readdirSync(join(root, 'tmp'))).toEqual([`${inProgress.split('/').pop()}`]);
  });

  it('removes the temporary file when the source stream fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'));
    const store = new FsBlobStore(root);
    await store.init();
    const failing = new Readable({ read() { this.destroy(new Error('connection reset')); } });
    await expect(store.put(failing)).rejects.toThrow('connection reset');
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect(await collect(store)).toEqual([]);
  });

  it('refuses ids that are not SHA-256 hex (no path traversal)', async () => {
    const store = new FsBlobStore(mkdtempSync(join(tmpdir(), 'mailhive-blobs-')));
    await expect(store.get('../../etc/passwd')).rejects.toThrow('invalid blob id');
  });
});
