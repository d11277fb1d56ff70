import type { ModuleSchema } from '../../core/module-store/module-store.service.js';
import { WebmailSettings1766500000001 } from './migrations/1766500000001-webmail-settings.js';

/** The webmail's own table (users' settings); read and written with SQL in ./repositories. */
export const WEBMAIL_SCHEMA: ModuleSchema = {
  entities: [],
  migrations: [WebmailSettings1766500000001],
};
