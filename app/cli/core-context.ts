import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { closeCoreResources, openCoreResources } from '../core-resources.js';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { CoreModule } from '../../core/core.module.js';
import { NestPinoLogger } from '../../core/logging/logger.js';

/** Runs `work` with the core services on the configured store (created and migrated if new), then closes it. */
export async function withCore<T>(
  config: MailhiveConfig,
  logger: Logger,
  work: (context: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const resources = await openCoreResources(config, logger, { plugins: false, bus: false });
  const context = await NestFactory.createApplicationContext(CoreModule.forRoot(resources), {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  try {
    return await work(context);
  } finally {
    await context.close();
    await closeCoreResources(resources);
  }
}
