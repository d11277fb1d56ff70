interface Pending<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/** Items of one batch at the most: bounds how long one transaction holds the contended rows. */
const MAX_BATCH = 64;

/**
 * Runs work one batch at a time: items that arrive while a batch runs wait and then go together through
 * `together`, which must do all of them or (throwing) none. When it throws, each item of that batch runs `alone`,
 * so one item that cannot be done only fails itself. A lone item goes straight to `alone`.
 */
export class BatchQueue<T, R> {
  private pending: Pending<T, R>[] = [];
  private draining = false;

  constructor(private readonly together: (items: T[]) => Promise<R[]>, private readonly alone: (item: T) => Promise<R>) {}

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
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        const results = batch.length > 1 ? await this.together(batch.map((entry) => entry.item)).catch(() => null) : null;
        if (results) batch.forEach((entry, i) => entry.resolve(results[i]));
        else await Promise.all(batch.map((entry) => this.alone(entry.item).then(entry.resolve, entry.reject)));
      }
    } finally {
      this.draining = false;
    }
  }
}
