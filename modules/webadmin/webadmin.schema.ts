import type { ModuleSchema } from '../../core/module-store/module-store.service.js';
import { WebadminTables1765500000001 } from './migrations/1765500000001-webadmin-tables.js';

/** WebAdmin's tables (settings, dashboard counters, delivery log); read and written with SQL in ./repositories. */
export const WEBADMIN_SCHEMA: ModuleSchema = {
  entities: [],
  migrations: [WebadminTables1765500000001],
};
