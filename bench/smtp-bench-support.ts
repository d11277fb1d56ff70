// Shared by the SMTP benchmarks: a server with one mailbox, and a reader that tells when messages are visible.
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountsService } from '../core/accounts/accounts.service.js';
import { closeCoreResources, openCoreResources } from '../app/core-resources.js';
import { loadConfig } from '../core/config/config.loader.js';
import { CoreModule, type CoreResources } from '../core/core.module.js';
import { createLogger } from '../core/logging/logger.js';
import { MailboxService } from '../core/mail/mailbox.service.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { seedMailbox } from './imap-seed.js';

export const RECIPIENT = 'bench@bench.example';

/**
 * The benchmarks' DNS, so that no lookup leaves the machine: the load's sender domain publishes SPF for loopback, as
 * a real sending domain would. BENCH_DNS_FIXTURES names another fixture file.
 */
function benchDnsFixtures(): string {
  if (process.env.BENCH_DNS_FIXTURES) return process.env.BENCH_DNS_FIXTURES;
  const file = join(mkdtempSync(join(tmpdir(), 'mailhive-bench-dns-')), 'dns.json');
  writeFileSync(file, JSON.stringify({ 'outside.example': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } }));
  return file;
}

/**
 * A server whose INBOX of RECIPIENT already holds `existing` messages (written before it starts); `env` adds to its
 * environment, and `prepare` runs CLI commands before it starts (plugin settings).
 */
export async function startBenchServer(
  existing = 0,
  env: Record<string, string> = {},
  prepare?: (server: MailhiveProcess) => Promise<void>,
): Promise<MailhiveProcess> {
  const server = await MailhiveProcess.create({
    MAILHIVE_SMTP_MAX_CONNECTIONS_PER_ADDRESS: '100',
    MAILHIVE_LOG_LEVEL: 'warn',
    MAILHIVE_DNS_FIXTURES: benchDnsFixtures(),
    ...env,
  });
  await server.cli('domain', 'add', 'bench.example');
  await server.cli('user', 'add', RECIPIENT, '--password', 'benchmark1');
  await prepare?.(server);
  if (existing > 0)
    await seedMailbox(server.env, {
      address: RECIPIENT,
      mailbox: 'INBOX',
      count: existing,
      message: (i) => benchMessage(-1 - i, 4096),
      seen: () => true,
    });
  await server.start();
  return server;
}

/** Reads the INBOX message count from the database the server writes (committed rows only). */
export class InboxCounter {
  private constructor(
    private readonly context: INestApplicationContext,
    private readonly resources: CoreResources,
    private readonly accountId: number,
  ) {}

  static async open(server: MailhiveProcess): Promise<InboxCounter> {
    const config = loadConfig({ ...server.env, MAILHIVE_LOG_LEVEL: 'silent' } as Record<string, string>);
    const resources = await openCoreResources(config, createLogger('silent'), { plugins: false });
    const context = await NestFactory.createApplicationContext(CoreModule.forRoot(resources), { logger: false });
    const account = await context.get(AccountsService).getUser(RECIPIENT);
    return new InboxCounter(context, resources, account.id);
  }

  async count(): Promise<number> {
    return (await this.context.get(MailboxService).get(this.accountId, 'INBOX')).messageCount;
  }

  async waitFor(count: number): Promise<void> {
    while ((await this.count()) < count) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async close(): Promise<void> {
    await this.context.close();
    await closeCoreResources(this.resources);
  }
}

/** A message of about `size` bytes with CRLF lines. */
export function benchMessage(i: number, size: number): Buffer {
  const header = `From: <load@outside.example>\r\nTo: <${RECIPIENT}>\r\nSubject: bench ${i}\r\nMessage-ID: <${i}.${Date.now()}@bench>\r\n\r\n`;
  const line = `${'b'.repeat(70)}\r\n`;
  return Buffer.from(header + line.repeat(Math.max(1, Math.ceil((size - header.length) / line.length))) + `${i}\r\n`);
}
