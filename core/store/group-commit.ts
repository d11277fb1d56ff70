import type { DataSource, EntityManager } from 'typeorm';
import { BatchingQueue, type Queued } from '../util/batching-queue.js';
import { WalSync } from './wal-sync.js';

type Work<T> = (manager: EntityManager) => Promise<T>;
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
type Pending = Queued<Work<unknown>, unknown>;

/** How often, and how far apart, a transaction that met another process's writer is run again. */
const BUSY_RETRIES = 50;
const BUSY_RETRY_MS = 20;

/**
 * SQLITE_BUSY that busy_timeout cannot wait out: in WAL mode a transaction that read before another process (the CLI
 * beside the server) committed cannot then write, and SQLite refuses at once. Nothing of it was kept, so it may run
 * again from the start.
 */
function isBusy(error: unknown): boolean {
  return /^SQLITE_BUSY/.test(String((error as { code?: unknown } | null)?.code ?? ''));
}

/**
 * Group commit for SQLite's single writer: transactions that arrive while a batch is running wait, then run together
 * in one database transaction, each inside its own savepoint, and share one COMMIT. A failing transaction rolls back
 * to its savepoint and fails alone. In WAL mode the fsync is taken off the COMMIT (see WalSync) and shared by every
 * batch committed meanwhile; no promise resolves before its batch is durable, so "acknowledged" still means durable.
 */
export class GroupCommitQueue {
  private readonly queue = new BatchingQueue<Work<unknown>, unknown>((batch) => this.commit(batch));
  private readonly walSync: WalSync | null;
  private readonly busyTries = new WeakMap<Work<unknown>, number>();

  constructor(private readonly dataSource: DataSource) {
    const connection = (
      dataSource.driver as unknown as { databaseConnection: { pragma(source: string, options?: { simple: boolean }): unknown } }
    ).databaseConnection;
    const walMode = connection.pragma('journal_mode', { simple: true }) === 'wal';
    this.walSync = walMode ? new WalSync(`${String(dataSource.options.database)}-wal`) : null;
    if (this.walSync) connection.pragma('synchronous = NORMAL');
  }

  /** WAL flushes completed so far (0 when not in WAL mode). */
  get walFlushes(): number {
    return this.walSync?.flushes ?? 0;
  }

  run<T>(work: Work<T>): Promise<T> {
    return this.queue.run(work as Work<unknown>) as Promise<T>;
  }

  /** Fails the transaction, or queues it again when it met another process's writer. */
  private fail(item: Pending, error: unknown): void {
    const tries = this.busyTries.get(item.item) ?? 0;
    if (!isBusy(error) || tries >= BUSY_RETRIES) {
      item.reject(error);
      return;
    }
    this.busyTries.set(item.item, tries + 1);
    setTimeout(() => this.queue.run(item.item).then(item.resolve, item.reject), BUSY_RETRY_MS);
  }

  private async commit(batch: Pending[]): Promise<void> {
    const outcomes = await this.runBatch(batch);
    // The next batch runs while this one's fsync is in flight.
    if (outcomes) void this.settleWhenDurable(batch, outcomes);
  }

  /** Runs and commits a batch; null (every promise rejected) when the shared transaction failed. */
  private async runBatch(batch: Pending[]): Promise<Outcome[] | null> {
    const runner = this.dataSource.createQueryRunner();
    const outcomes: Outcome[] = [];
    try {
      await runner.startTransaction();
      if (batch.length === 1) {
        // Alone in its batch, a transaction needs no savepoint: its failure rolls back the whole batch.
        const value = await batch[0].item(runner.manager);
        await runner.commitTransaction();
        return [{ ok: true, value }];
      }
      for (const { item: work } of batch) {
        await runner.startTransaction();
        try {
          const value = await work(runner.manager);
          await runner.commitTransaction();
          outcomes.push({ ok: true, value });
        } catch (error) {
          await runner.rollbackTransaction();
          outcomes.push({ ok: false, error });
        }
      }
      await runner.commitTransaction();
      return outcomes;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      for (const item of batch) this.fail(item, error);
      return null;
    } finally {
      await runner.release();
    }
  }

  private async settleWhenDurable(batch: Pending[], outcomes: Outcome[]): Promise<void> {
    try {
      await this.walSync?.sync();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else this.fail(item, outcome.error);
    });
  }
}
