import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { AccountsService } from './accounts/accounts.service.js';
import { AuthService } from './accounts/auth.service.js';
import { TwoFactorService } from './accounts/two-factor.service.js';
import { AuditLogReader } from './audit/audit-log.reader.js';
import { AuditLogWriter } from './audit/audit-log.writer.js';
import { AccessTokenService } from './accounts/access-token.service.js';
import { BLOB_STORE, type BlobStore } from './blob/blob-store.js';
import type { MailhiveConfig } from './config/config.schema.js';
import { MAILHIVE_CONFIG } from './config/config.token.js';
import { EVENT_BUS, type EventBus } from './events/event-bus.js';
import { GraphqlClientErrorFilter } from './graphql/client-error.filter.js';
import { LOGGER } from './logging/logger.js';
import { DistributionLists } from './mail/distribution-lists.service.js';
import { MailRepository } from './store/repositories/mail.repository.js';
import { MailboxArrivalsService } from './mail/mailbox-arrivals.service.js';
import { MailboxService } from './mail/mailbox.service.js';
import { MessageQueryService } from './mail/message-query.service.js';
import { MessageListingService } from './mail/message-listing.service.js';
import { MessageService } from './mail/message.service.js';
import { UploadsService } from './mail/uploads.service.js';
import { SendRateService } from './mail/send-rate.service.js';
import { RecipientResolver } from './mail/recipient-resolver.service.js';
import { PluginHost } from './plugin-host/plugin-host.service.js';
import type { DataSources } from './store/data-source.factory.js';
import { MessageListingReader } from './store/repositories/message-listing.reader.js';
import { AuditLogRepository } from './store/repositories/audit-log.repository.js';
import { MailboxArrivalsRepository } from './store/repositories/mailbox-arrivals.repository.js';
import { SendLogRepository } from './store/repositories/send-log.repository.js';
import { MailboxRepository } from './store/repositories/mailbox.repository.js';
import { BlobRepository } from './store/repositories/blob.repository.js';
import { UploadRepository } from './store/repositories/upload.repository.js';
import { MessageChangesRepository } from './store/repositories/message-changes.repository.js';
import { MessageQueryRepository } from './store/repositories/message-query.repository.js';
import { StoreService } from './store/store.service.js';
import { DATA_SOURCES } from './store/store.tokens.js';
import { TlsService } from './tls/tls.service.js';
import { BlobSweeper } from './maintenance/blob-sweeper.service.js';
import { LeaseModule } from './leases/lease.module.js';
import { ModuleStore } from './module-store/module-store.service.js';
import { ListeningPorts } from './transports/listening-ports.js';

/** Opened before Nest starts, so that a failure is reported as one line rather than a framework stack. */
export interface CoreResources {
  config: MailhiveConfig;
  logger: Logger;
  sources: DataSources;
  blobs: BlobStore;
  events: EventBus;
  plugins: PluginHost;
}

/** The store's repositories: provided here for core services, not exported, so no module reaches SQL. */
const REPOSITORIES = [
  MessageQueryRepository,
  MessageChangesRepository,
  UploadRepository,
  MessageListingReader,
  AuditLogRepository,
  MailboxArrivalsRepository,
  SendLogRepository,
  MailboxRepository,
  BlobRepository,
];

const SERVICES = [
  StoreService,
  MailRepository,
  MailboxService,
  MessageService,
  RecipientResolver,
  SendRateService,
  AccountsService,
  AuthService,
  TwoFactorService,
  AccessTokenService,
  TlsService,
  BlobSweeper,
  MailboxArrivalsService,
  AuditLogReader,
  MessageQueryService,
  UploadsService,
  MessageListingService,
  DistributionLists,
  AuditLogWriter,
  ModuleStore,
  ListeningPorts,
];

/** The kernel's services, available to every protocol, module and resolver. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(resources: CoreResources): DynamicModule {
    const values = [
      { provide: MAILHIVE_CONFIG, useValue: resources.config },
      { provide: LOGGER, useValue: resources.logger },
      { provide: DATA_SOURCES, useValue: resources.sources },
      { provide: BLOB_STORE, useValue: resources.blobs },
      { provide: EVENT_BUS, useValue: resources.events },
      { provide: PluginHost, useValue: resources.plugins },
    ];
    return {
      module: CoreModule,
      imports: [LeaseModule],
      // Global, so every resolver's refusals (core, modules, mobile API) are logged as client mistakes.
      providers: [...values, ...REPOSITORIES, ...SERVICES, { provide: APP_FILTER, useClass: GraphqlClientErrorFilter }],
      exports: [...values.map((value) => value.provide), ...SERVICES],
    };
  }
}
