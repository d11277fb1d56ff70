import { Module, type DynamicModule } from '@nestjs/common';
import { DnsModule } from '../../core/dns/dns.module.js';
import { DeliveryModule } from '../../core/mail/delivery.module.js';
import { AdminGuard } from '../../core/graphql/admin.guard.js';
import { WebsocketSessionsModule } from '../../core/graphql/websocket/websocket-sessions.module.js';
import { AdminAuditResolver } from './resolvers/admin-audit.resolver.js';
import { AdminDashboardResolver } from './resolvers/admin-dashboard.resolver.js';
import { AdminQueueResolver } from './resolvers/admin-queue.resolver.js';
import { PluginHostModule } from '../../core/plugin-host/plugin-host.module.js';
import { AdminPluginsResolver } from './resolvers/admin-plugins.resolver.js';
import { AdminSettingsResolver } from './resolvers/admin-settings.resolver.js';
import { AdminDomainsResolver } from './resolvers/admin-domains.resolver.js';
import { AdminSessionResolver } from './resolvers/admin-session.resolver.js';
import { AdminSetupResolver } from './resolvers/admin-setup.resolver.js';
import { AdminUsersResolver } from './resolvers/admin-users.resolver.js';
import { SettingsRepository } from './repositories/settings.repository.js';
import { StatsRepository } from './repositories/stats.repository.js';
import { ActivityRecorder } from './services/activity-recorder.service.js';
import { AdminQueueService } from './services/admin-queue.service.js';
import { AdminImportService } from './services/admin-import.service.js';
import { AdminSettingsService } from './services/admin-settings.service.js';
import { DashboardService } from './services/dashboard.service.js';
import { AdminAuditService } from './services/admin-audit.service.js';
import { DomainDnsService } from './services/domain-dns.service.js';
import { RuntimeSettingsService } from './services/runtime-settings.service.js';
import { SetupService } from './services/setup.service.js';
import { AdminUsersService } from './services/admin-users.service.js';
import { AdminWebController } from './web-serving/admin-web.controller.js';

/**
 * WebAdmin: the admin GraphQL API (domains, users, audit log; every field behind AdminGuard) and the admin-ui client
 * on `/admin`. Without this module neither exists: no admin type is in the schema.
 */
@Module({})
export class WebadminModule {
  static register(): DynamicModule {
    return {
      module: WebadminModule,
      imports: [WebsocketSessionsModule, DnsModule, DeliveryModule, PluginHostModule],
      controllers: [AdminWebController],
      providers: [
        AdminGuard,
        AdminUsersService,
        AdminAuditService,
        SettingsRepository,
        RuntimeSettingsService,
        SetupService,
        DomainDnsService,
        StatsRepository,
        ActivityRecorder,
        DashboardService,
        AdminDashboardResolver,
        AdminQueueService,
        AdminQueueResolver,
        AdminSettingsService,
        AdminSettingsResolver,
        AdminPluginsResolver,
        AdminImportService,
        AdminSessionResolver,
        AdminDomainsResolver,
        AdminUsersResolver,
        AdminAuditResolver,
        AdminSetupResolver,
      ],
    };
  }
}
