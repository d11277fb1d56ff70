import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type CoreResources } from '../core/core.module.js';
import { BusEventsController } from '../core/events/bus-events.controller.js';
import { MailhiveGraphqlModule } from '../core/graphql/graphql.module.js';
import { CORE_ERROR_CODES } from '../core/graphql/public-error-codes.js';
import { HealthController } from '../core/http/health.controller.js';
import { ImapModule } from '../core/imap/imap.module.js';
import { MetricsModule } from '../core/metrics/metrics.module.js';
import { OutboundModule } from '../core/outbound/outbound.module.js';
import { PluginHostModule } from '../core/plugin-host/plugin-host.module.js';
import { Pop3Module } from '../core/pop3/pop3.module.js';
import { SmtpModule } from '../core/smtp/smtp.module.js';
import { PROTOCOL_SERVERS, type ProtocolServer } from '../core/transports/protocol-server.js';
import { TransportsService } from '../core/transports/transports.service.js';
import { ImapServer } from '../core/imap/imap.server.js';
import { Pop3Server } from '../core/pop3/pop3.server.js';
import { SmtpServer } from '../core/smtp/smtp.server.js';
import type { FeatureModule } from './feature-modules.js';

@Module({})
export class AppModule {
  static register(resources: CoreResources, features: readonly FeatureModule[]): DynamicModule {
    const publicCodes = new Set([...CORE_ERROR_CODES, ...features.flatMap((feature) => feature.errorCodes)]);
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(resources),
        MailhiveGraphqlModule.forRoot(publicCodes),
        MetricsModule,
        OutboundModule,
        SmtpModule,
        Pop3Module,
        ImapModule,
        PluginHostModule,
        ...features.map((feature) => feature.module),
      ],
      controllers: [HealthController, ...(resources.config.busUrl ? [BusEventsController] : [])],
      providers: [
        { provide: PROTOCOL_SERVERS, useFactory: (...servers: ProtocolServer[]) => servers, inject: [SmtpServer, Pop3Server, ImapServer] },
        TransportsService,
      ],
    };
  }
}
