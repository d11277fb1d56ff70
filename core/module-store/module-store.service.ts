import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StoreService } from '../store/store.service.js';

export type { ModuleSchema } from '../store/module-schema.js';

/**
 * The store as a feature module sees it: reads and write transactions for the tables the module brings in its own
 * ModuleSchema. Modules reach core's tables only through core services, never through this.
 */
@Injectable()
export class ModuleStore {
  constructor(private readonly store: StoreService) {}

  /** Whether SQL must be written for SQLite (else MySQL/MariaDB): upserts differ between the two. */
  get isSqlite(): boolean {
    return this.store.isSqlite;
  }

  get reader(): EntityManager {
    return this.store.reader;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }
}
