import type { EntityManager } from 'typeorm';

/**
 * What the module's repositories need of the store: a reader and the one way to run a write transaction (on SQLite
 * the store queues writers). The composition root binds ORG_STORE to core's store service, so the module never
 * imports core/store and reaches only its own tables through it.
 */
export interface OrgStore {
  readonly reader: EntityManager;
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

export const ORG_STORE = Symbol('ORG_STORE');
