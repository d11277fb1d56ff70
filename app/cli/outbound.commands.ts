import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { UsageError } from './cli-error.js';
import { printListing, type Listing } from './output.js';
import { withCore } from './core-context.js';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { MailError } from '../../core/mail/mail.errors.js';
import { MailRepository } from '../../core/store/repositories/mail.repository.js';
import { StoreService } from '../../core/store/store.service.js';
import { dkimRecord, domainDnsInput, domainDnsRecords, zoneFileLine } from '../../core/dns/domain-records.js';
import { OutboundQueueService } from '../../core/outbound/outbound-queue.service.js';
import { OutboundQueueRepository } from '../../core/store/repositories/outbound-queue.repository.js';

type QueuedMessage = {
  id: number;
  status: string;
  sender: string;
  recipients: string[];
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
};

const QUEUE_LISTING: Listing<QueuedMessage> = {
  columns: [
    { header: 'ID', value: (row) => String(row.id) },
    { header: 'STATUS', value: (row) => row.status },
    { header: 'FROM', value: (row) => row.sender || '<>' },
    { header: 'TO', value: (row) => row.recipients.join(',') },
    { header: 'TRIES', value: (row) => String(row.attempts) },
    { header: 'NEXT', value: (row) => new Date(row.nextAttemptAt).toISOString().slice(0, 19).replace('T', ' ') },
    { header: 'LAST ERROR', value: (row) => row.lastError ?? '-' },
  ],
  json: (row) => ({
    id: row.id,
    status: row.status,
    sender: row.sender,
    recipients: row.recipients,
    attempts: row.attempts,
    nextAttempt: new Date(row.nextAttemptAt).toISOString(),
    lastError: row.lastError,
  }),
};

type Handler = (args: string[], config: MailhiveConfig, logger: Logger, io: { out(line: string): void }) => Promise<void>;

function queue(config: MailhiveConfig, logger: Logger, work: (service: OutboundQueueService) => Promise<void>): Promise<void> {
  return withCore(config, logger, (context) => {
    const store = context.get(StoreService);
    return work(new OutboundQueueService(store, new OutboundQueueRepository(store, context.get(MailRepository)), config));
  });
}

function id(args: string[]): number {
  const value = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(value) || value <= 0) throw new UsageError('expected one queue ID');
  return value;
}

/** `mailhive domain dkim` and `mailhive queue ...`, merged into the CLI's command table. */
export const OUTBOUND_COMMANDS: Record<string, Handler> = {
  'domain dkim': (args, config, logger, io) => {
    if (args.length !== 1) throw new UsageError('expected one domain name');
    return withCore(config, logger, async (context) => {
      const domain = await context.get(AccountsService).findDomain(args[0]!);
      if (!domain) throw new MailError('NONEXISTENT', `domain ${args[0]} is not hosted here`);
      if (!domain.dkimPrivateKey) throw new MailError('NONEXISTENT', `domain ${domain.name} has no DKIM key`);
      io.out(zoneFileLine(dkimRecord(domain.name, domain.dkimSelector, domain.dkimPrivateKey)));
    });
  },
  'domain dns': (args, config, logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UsageError('expected one domain name');
    return withCore(config, logger, async (context) => {
      const domain = await context.get(AccountsService).findDomain(positionals[0]!);
      if (!domain) throw new MailError('NONEXISTENT', `domain ${positionals[0]} is not hosted here`);
      const records = domainDnsRecords(domainDnsInput(domain, config.hostname, config));
      if (values.json) io.out(JSON.stringify(records, null, 2));
      else for (const record of records) io.out(zoneFileLine(record));
    });
  },
  'queue list': (args, config, logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return queue(config, logger, async (service) => printListing(await service.list(), QUEUE_LISTING, values.json ?? false, io.out));
  },
  'queue retry': (args, config, logger, io) =>
    queue(config, logger, async (service) => {
      const queueId = id(args);
      if (!(await service.retry(queueId))) throw new MailError('NONEXISTENT', `no queued message ${queueId}`);
      io.out(`message ${queueId} will be retried now`);
    }),
  'queue delete': (args, config, logger, io) =>
    queue(config, logger, async (service) => {
      const queueId = id(args);
      if (!(await service.delete(queueId))) throw new MailError('NONEXISTENT', `no queued message ${queueId}`);
      io.out(`message ${queueId} deleted from the queue`);
    }),
};
