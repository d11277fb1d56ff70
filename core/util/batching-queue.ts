export interface Queued<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Runs queued items a batch at a time: the items that arrive while one batch is being processed make up the next
 * one (at most `maxBatch`, which bounds how long one batch holds what it locks). `process` must settle every item of
 * its batch, now or later.
 */
export class BatchingQueue<T, R> {
  private pending: Queued<T, R>[] = [];
  private draining = false;

  constructor(
    private readonly process: (batch: Queued<T, R>[]) => Promise<void>,
    private readonly maxBatch = 64,
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0) await this.process(this.pending.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
    }
  }
}
