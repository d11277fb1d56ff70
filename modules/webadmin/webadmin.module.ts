import { Module, type DynamicModule } from '@nestjs/common';
import { AdminGuard } from '../../core/graphql/admin.guard.js';
import { WebsocketSessionsModule } from '../../core/graphql/websocket/websocket-sessions.module.js';
import { AdminAuditResolver } from './resolvers/admin-audit.resolver.js';
import { AdminDomainsResolver } from './resolvers/admin-domains.resolver.js';
import { AdminSessionResolver } from './resolvers/admin-session.resolver.js';
import { AdminUsersResolver } from './resolvers/admin-users.resolver.js';
import { AdminAuditService } from './services/admin-audit.service.js';
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
      imports: [WebsocketSessionsModule],
      controllers: [AdminWebController],
      providers: [
        AdminGuard, AdminUsersService, AdminAuditService,
        AdminSessionResolver, AdminDomainsResolver, AdminUsersResolver, AdminAuditResolver,
      ],
    };
  }
}
