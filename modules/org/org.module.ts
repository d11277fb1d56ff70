import { Module, type DynamicModule } from '@nestjs/common';
import { OrgAdminGuard } from './org-admin.guard.js';
import { DepartmentRepository } from './repositories/department.repository.js';
import { PeopleRepository } from './repositories/people.repository.js';
import { DirectoryResolver } from './resolvers/directory.resolver.js';
import { OrgAdminResolver } from './resolvers/org-admin.resolver.js';
import { OrgTransferResolver } from './resolvers/org-transfer.resolver.js';
import { DepartmentListsService } from './services/department-lists.service.js';
import { DirectoryService } from './services/directory.service.js';
import { OrgActorsService } from './services/org-actors.service.js';
import { OrgAdminService } from './services/org-admin.service.js';
import { OrgEvents } from './services/org-events.js';
import { OrgTransferService } from './services/org-transfer.service.js';

/**
 * Organisation structure: the department tree, people and memberships, department admins, the global address list
 * (GAL) and department lists with send policies, which core's recipient resolution expands at delivery. Its tables
 * (org.schema.ts) are reached through core's ModuleStore.
 */
@Module({})
export class OrgModule {
  static register(): DynamicModule {
    return {
      module: OrgModule,
      providers: [
        DepartmentRepository,
        PeopleRepository,
        OrgEvents,
        OrgActorsService,
        OrgAdminService,
        DirectoryService,
        DepartmentListsService,
        OrgTransferService,
        OrgAdminGuard,
        OrgAdminResolver,
        OrgTransferResolver,
        DirectoryResolver,
      ],
      exports: [OrgAdminService, DepartmentRepository, PeopleRepository],
    };
  }
}
