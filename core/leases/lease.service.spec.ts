import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { openTestCore, type TestCore } from '../../test/support/test-core.js';
import { TEST_DB } from '../../test/support/test-database.js';
import { closeCoreResources, openCoreResources } from '../../app/core-resources.js';
import { CoreModule, type CoreResources } from '../core.module.js';
import { createLogger } from '../logging/logger.js';
import { StoreService } from '../store/store.service.js';
import { LeaseRepository } from '../store/repositories/lease.repository.js';
import { LeaseService } from './lease.service.js';

// On MariaDB two "nodes" with their own connection pools share the database. Several nodes need MySQL/MariaDB
// (design.md); on SQLite both claimants share one process's store, as the server and a CLI never both hold a lease
// (and better-sqlite3 blocks the event loop while it waits for a lock, so two writers in one process would deadlock).
describe('LeaseService', () => {
  let core: TestCore;
  let secondResources: CoreResources;
  let secondContext: INestApplicationContext;
  let nodeA: LeaseService;
  let nodeB: LeaseService;

  beforeAll(async () => {
    core = await openTestCore();
    nodeA = new LeaseService(new LeaseRepository(core.context.get(StoreService)));
    if (TEST_DB === 'mariadb') {
      secondResources = await openCoreResources(core.config, createLogger('silent'), { plugins: false });
      secondContext = await NestFactory.createApplicationContext(CoreModule.forRoot(secondResources), { logger: false });
      nodeB = new LeaseService(new LeaseRepository(secondContext.get(StoreService)));
    } else {
      nodeB = new LeaseService(new LeaseRepository(core.context.get(StoreService)));
    }
  });

  afterAll(async () => {
    await secondContext?.close();
    if (secondResources) await closeCoreResources(secondResources);
    await core?.close();
  });

  it('gives a lease to exactly one of many concurrent claimants on two nodes', async () => {
    const claims = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? nodeA : nodeB).acquire('race', `owner-${i}`, 60_000));
    const results = await Promise.all(claims);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lets the holder renew and re-acquire, and nobody else', async () => {
    expect(await nodeA.acquire('held', 'alice', 60_000)).toBe(true);
    expect(await nodeB.acquire('held', 'bob', 60_000)).toBe(false);
    expect(await nodeA.acquire('held', 'alice', 60_000)).toBe(true);
    expect(await nodeA.renew('held', 'alice', 60_000)).toBe(true);
    expect(await nodeB.renew('held', 'bob', 60_000)).toBe(false);
    await nodeB.release('held', 'bob');
    expect(await nodeB.acquire('held', 'bob', 60_000)).toBe(false);
    await nodeA.release('held', 'alice');
    expect(await nodeB.acquire('held', 'bob', 60_000)).toBe(true);
  });

  it('hands an expired lease to the next claimant; the old holder cannot renew it then', async () => {
    // Long enough that a loaded machine still asks again before it ends.
    expect(await nodeA.acquire('short', 'alice', 1_000)).toBe(true);
    expect(await nodeB.acquire('short', 'bob', 60_000)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await nodeB.acquire('short', 'bob', 60_000)).toBe(true);
    expect(await nodeA.renew('short', 'alice', 60_000)).toBe(false);
  });
});
