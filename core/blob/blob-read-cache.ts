/**
 * Recently read or written blobs in memory, least recently used first out, bounded in bytes. Blobs are immutable
 * (their id is their content's hash), so an entry is never stale; a deleted blob is dropped here by its own node and
 * is no longer referenced anywhere, so another node's copy is never read.
 */
export class BlobReadCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): Buffer | undefined {
    const content = this.entries.get(id);
    if (content) {
      // Map keeps insertion order: re-inserting moves the entry to the most recent end.
      this.entries.delete(id);
      this.entries.set(id, content);
    }
    return content;
  }

  /** Keeps `content` unless it would take more than an eighth of the cache: one large message must not flush it. */
  set(id: string, content: Buffer): void {
    if (content.length > this.maxBytes / 8) return;
    this.delete(id);
    this.entries.set(id, content);
    this.bytes += content.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
  }

  delete(id: string): void {
    const content = this.entries.get(id);
    if (!content) return;
    this.entries.delete(id);
    this.bytes -= content.length;
  }

  get size(): number {
    return this.bytes;
  }
}
