import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { closeCoreResources, openCoreResources } from '../../app/core-resources.js';
import { loadConfig } from '../../core/config/config.loader.js';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { CoreModule, type CoreResources } from '../../core/core.module.js';
import { createLogger } from '../../core/logging/logger.js';
import { createTestDatabase } from './test-database.js';

export interface TestCore {
  context: INestApplicationContext;
  resources: CoreResources;
  config: MailhiveConfig;
  close(): Promise<void>;
}

/** The core services in-process on a fresh data directory and database of the test's own. */
export async function openTestCore(env: Record<string, string> = {}): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-test-'));
  const database = await createTestDatabase();
  const config = loadConfig({
    MAILHIVE_DATA_DIR: dataDir,
    MAILHIVE_LOG_LEVEL: 'silent',
    ...(database.url ? { MAILHIVE_DATABASE_URL: database.url } : {}),
    ...env,
  });
  const logger = createLogger(config.logLevel);
  const resources = await openCoreResources(config, logger, { plugins: false, bus: false });
  const context = await NestFactory.createApplicationContext(CoreModule.forRoot(resources), { logger: false });
  return {
    context,
    resources,
    config,
    close: async () => {
      await context.close();
      await closeCoreResources(resources);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
