import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from './fs-blob-store.js';
import { encodeRecord, RecordKind } from './pack-format.js';

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function openStore(root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'))): Promise<FsBlobStore> {
  const store = new FsBlobStore(root);
  await store.init();
  return store;
}

async function read(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString();
}

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
    expect(await read(store.stream(sha, { start: 9, end: 14 }))).toBe('hello');
    expect(await read(store.stream(sha))).toBe(content.toString());
    expect(await store.getMany([sha, sha])).toEqual([content, content]);
    expect(await store.stat(sha)).toMatchObject({ size: content.length });
    await store.close();
  });

  it('keeps small blobs in packs, reads them after a restart, and still reads blobs stored one file each', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'));
    const store = await openStore(root);
    const contents = Array.from({ length: 20 }, (_, i) => Buffer.from(`Subject: ${i}\r\n\r\n${'x'.repeat(i * 100)}\r\n`));
    await Promise.all(contents.map((content) => store.put(content)));
    await store.close();
    expect(readdirSync(join(root, 'packs')).length).toBe(1);
    // A blob of the one-file-per-blob layout.
    const old = Buffer.from('Subject: from before packs\r\n\r\n');
    mkdirSync(join(root, sha256(old).slice(0, 2), sha256(old).slice(2, 4)), { recursive: true });
    writeFileSync(join(root, sha256(old).slice(0, 2), sha256(old).slice(2, 4), sha256(old)), old);
    const restarted = await openStore(root);
    expect(await restarted.getMany(contents.map(sha256))).toEqual(contents);
    expect(await restarted.get(sha256(old))).toEqual(old);
    expect(await collect(restarted)).toEqual([...contents, old].map(sha256).sort());
    await restarted.close();
  });

  it('never serves a batch whose commit is missing or content that does not match its id', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'));
    const store = await openStore(root);
    const kept = Buffer.from('Subject: acknowledged\r\n\r\n');
    await store.put(kept);
    await store.close();
    const [pack] = readdirSync(join(root, 'packs'));
    const path = join(root, 'packs', pack!);
    // A damaged record inside a committed batch, then what a crash in the middle of the next batch leaves.
    const damaged = Buffer.from('Subject: damaged\r\n\r\n');
    appendFileSync(
      path,
      Buffer.concat([
        ...encodeRecord(RecordKind.Blob, sha256(damaged), Date.now(), Buffer.from('Subject: other\r\n\r\n')),
        ...encodeRecord(4, '0'.repeat(64), Date.now()),
      ]),
    );
    const torn = Buffer.from('Subject: never acknowledged\r\n\r\n');
    appendFileSync(path, Buffer.concat(encodeRecord(RecordKind.Blob, sha256(torn), Date.now(), torn)).subarray(0, 70));
    const restarted = await openStore(root);
    const size = readFileSync(path).length;
    expect(await restarted.get(sha256(kept))).toEqual(kept);
    expect(await restarted.exists(sha256(damaged))).toBe(false);
    expect(await restarted.exists(sha256(torn))).toBe(false);
    // New writes go to a new pack, never after a torn tail.
    await restarted.put(torn);
    expect(readFileSync(path).length).toBe(size);
    expect(await collect(restarted)).toEqual([sha256(kept), sha256(torn)].sort());
    await restarted.close();
  });

  it('follows what another process sharing the directory writes and deletes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'));
    const first = await openStore(root);
    const second = await openStore(root);
    const content = Buffer.from('Subject: shared\r\n\r\n');
    expect(await second.exists(sha256(content))).toBe(false);
    await first.put(content);
    expect(await second.get(sha256(content))).toEqual(content);
    await second.delete(sha256(content));
    expect(await collect(first)).toEqual([]);
    await first.put(content);
    expect(await collect(second)).toEqual([sha256(content)]);
    await Promise.all([first.close(), second.close()]);
  });

  it('frees deleted blobs by compacting finished packs, keeping live and re-stored content', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mailhive-blobs-'));
    const writer = await openStore(root);
    const contents = Array.from({ length: 10 }, (_, i) => Buffer.from(`Subject: ${i}\r\n\r\n${'y'.repeat(500)}\r\n`));
    for (const content of contents) await writer.put(content);
    for (const content of contents.slice(2)) await writer.delete(sha256(content));
    // The writer's own pack is still being written to.
    expect(await writer.compact({ finishedMs: 0, graceMs: 0 })).toEqual({ packs: 0, bytes: 0 });
    await writer.close();
    const before = readdirSync(join(root, 'packs'));
    const store = await openStore(root);
    // Within the grace period nothing is rewritten, nor is a pack written to within the last hour.
    expect(await store.compact({ finishedMs: 0 })).toEqual({ packs: 0, bytes: 0 });
    expect(await store.compact({ graceMs: 0 })).toEqual({ packs: 0, bytes: 0 });
    const result = await store.compact({ finishedMs: 0, graceMs: 0 });
    expect(result.packs).toBe(1);
    expect(result.bytes).toBeGreaterThan(8 * 500);
    expect(readdirSync(join(root, 'packs')).filter((name) => before.includes(name))).toEqual([]);
    await store.put(contents[5]!);
    const kept = [contents[0]!, contents[1]!, contents[5]!];
    expect(await collect(store)).toEqual(kept.map(sha256).sort());
    await store.close();
    const restarted = await openStore(root);
    expect(await collect(restarted)).toEqual(kept.map(sha256).sort());
    expect(await restarted.getMany(kept.map(sha256))).toEqual(kept);
    expect(await restarted.exists(sha256(contents[4]!))).toBe(false);
    await restarted.close();
  });

  it('never shows a blob file whose write did not reach its rename, and clears old left-overs at start', async () => {
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
    // Content of any size streamed in is stored as a file.
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('connection reset');
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect(await collect(store)).toEqual([]);
  });

  it('refuses ids that are not SHA-256 hex (no path traversal)', async () => {
    const store = new FsBlobStore(mkdtempSync(join(tmpdir(), 'mailhive-blobs-')));
    await expect(store.get('../../etc/passwd')).rejects.toThrow('invalid blob id');
  });
});
