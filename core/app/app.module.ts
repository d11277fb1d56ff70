import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type CoreResources } from '../core.module.js';
import { BusEventsController } from '../events/bus-events.controller.js';
import { MailhiveGraphqlModule } from '../graphql/graphql.module.js';
import { HealthController } from '../http/health.controller.js';
import { ImapModule } from '../imap/imap.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { Pop3Module } from '../pop3/pop3.module.js';
import { SmtpModule } from '../smtp/smtp.module.js';
import { TransportsService } from '../transports/transports.service.js';

@Module({})
export class AppModule {
  static register(resources: CoreResources, features: DynamicModule[]): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(resources), MailhiveGraphqlModule, MetricsModule, OutboundModule, SmtpModule, Pop3Module, ImapModule, ...features],
      controllers: [HealthController, ...(resources.config.busUrl ? [BusEventsController] : [])],
      providers: [TransportsService],
    };
  }
}
