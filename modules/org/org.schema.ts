import { DepartmentAdminEntity } from './entities/department-admin.entity.js';
import { DepartmentEntity } from './entities/department.entity.js';
import { ListSenderEntity } from './entities/list-sender.entity.js';
import { MembershipEntity } from './entities/membership.entity.js';
import { PersonEntity } from './entities/person.entity.js';
import { SearchKeyEntity } from './entities/search-key.entity.js';
import { OrgStructure1765200000001 } from './migrations/1765200000001-org-structure.js';

/** The organisation module's tables, a ModuleSchema that app/module-schemas.ts hands to the store. */
export const ORG_SCHEMA = {
  entities: [DepartmentEntity, PersonEntity, MembershipEntity, DepartmentAdminEntity, SearchKeyEntity, ListSenderEntity],
  migrations: [OrgStructure1765200000001],
};
