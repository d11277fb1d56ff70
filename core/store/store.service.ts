import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DataSources } from './data-source.factory.js';
import { GroupCommitQueue } from './group-commit.js';
import { DATA_SOURCES } from './store.tokens.js';

/**
 * The handle of a running transaction (or the reader): services only pass it on to repository functions, so
 * several repository operations commit together.
 */
export type StoreTransaction = EntityManager;

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * The one way to run a write transaction. SQLite has one writer: transactions are queued here instead of failing
 * with SQLITE_BUSY, and those that queue up share one commit (see GroupCommitQueue). MySQL groups concurrent
 * commits itself; its transactions that lose a deadlock are retried.
 */
@Injectable()
export class StoreService {
  private readonly sqliteWriter: GroupCommitQueue | null;
  readonly isSqlite: boolean;

  constructor(@Inject(DATA_SOURCES) private readonly sources: DataSources) {
    this.isSqlite = sources.writer.options.type === 'better-sqlite3';
    this.sqliteWriter = this.isSqlite ? new GroupCommitQueue(sources.writer) : null;
  }

  /** For reads outside a transaction: sees committed data only. */
  get reader(): EntityManager {
    return this.sources.reader.manager;
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.sqliteWriter) return this.sqliteWriter.run(work);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sources.writer.transaction(work);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || !code || !MYSQL_RETRYABLE.has(code)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.sources.reader.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
