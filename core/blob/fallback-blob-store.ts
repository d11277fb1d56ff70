import { PassThrough, type Readable } from 'node:stream';
import type { BlobStore, StoredBlob } from './blob-store.js';

/**
 * The store during a move to another one (`mailhive blobs migrate`): writes go to the new store; a blob the new one
 * does not have yet (written by a node still on the old store, or not copied yet) is read from the old one. The
 * sweeper sees both, and a delete removes the blob from both.
 */
export class FallbackBlobStore implements BlobStore {
  constructor(
    private readonly primary: BlobStore,
    private readonly fallback: BlobStore,
  ) {}

  put(content: Buffer | Readable): Promise<StoredBlob> {
    return this.primary.put(content);
  }

  async get(id: string): Promise<Buffer> {
    try {
      return await this.primary.get(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return this.fallback.get(id);
    }
  }

  async getMany(ids: readonly string[]): Promise<Buffer[]> {
    try {
      return await this.primary.getMany(ids);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return Promise.all(ids.map((id) => this.get(id)));
    }
  }

  stream(id: string, range?: { start: number; end: number }): Readable {
    const output = new PassThrough();
    const pipeFrom = (source: Readable, onMissing: (() => void) | null) => {
      let started = false;
      source.on('data', () => (started = true));
      source.on('error', (error: NodeJS.ErrnoException) => {
        if (!started && error.code === 'ENOENT' && onMissing) onMissing();
        else output.destroy(error);
      });
      source.pipe(output);
    };
    pipeFrom(this.primary.stream(id, range), () => pipeFrom(this.fallback.stream(id, range), null));
    return output;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.primary.exists(id)) || (await this.fallback.exists(id));
  }

  async stat(id: string): Promise<{ size: number; writtenAt: number } | null> {
    return (await this.primary.stat(id)) ?? (await this.fallback.stat(id));
  }

  async *list(): AsyncIterable<{ id: string; writtenAt: number }> {
    yield* this.primary.list();
    yield* this.fallback.list();
  }

  async delete(id: string): Promise<void> {
    await Promise.all([this.primary.delete(id), this.fallback.delete(id)]);
  }

  async compact(): Promise<{ packs: number; bytes: number }> {
    const results = await Promise.all([this.primary.compact?.(), this.fallback.compact?.()]);
    return results.reduce<{ packs: number; bytes: number }>(
      (total, result) => ({ packs: total.packs + (result?.packs ?? 0), bytes: total.bytes + (result?.bytes ?? 0) }),
      { packs: 0, bytes: 0 },
    );
  }

  async health(): Promise<boolean> {
    return (await this.primary.health()) && (await this.fallback.health());
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }
}
