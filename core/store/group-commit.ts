import type { DataSource, EntityManager } from 'typeorm';

type Work<T> = (manager: EntityManager) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Transactions of one batch at the most: bounds how long a batch holds the writer and how much one failure costs. */
const MAX_BATCH = 64;

/**
 * Group commit for SQLite's single writer: transactions that arrive while a batch is running wait, then run together
 * in one database transaction, each inside its own savepoint, and share one COMMIT (one fsync). A failing
 * transaction rolls back to its savepoint and fails alone; no promise resolves before the shared COMMIT succeeded,
 * so "acknowledged" still means durable.
 */
export class GroupCommitQueue {
  private pending: Pending[] = [];
  private draining = false;

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0) await this.runBatch(this.pending.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await runner.startTransaction();
      for (const item of batch) {
        await runner.startTransaction();
        try {
          const value = await item.work(runner.manager);
          await runner.commitTransaction();
          outcomes.push({ ok: true, value });
        } catch (error) {
          await runner.rollbackTransaction();
          outcomes.push({ ok: false, error });
        }
      }
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      for (const item of batch) item.reject(error);
      return;
    } finally {
      await runner.release();
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
