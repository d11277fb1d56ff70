import type { ModuleSchema } from '../core/store/module-schema.js';
import { ORG_SCHEMA } from '../modules/org/org.schema.js';
import { WEBADMIN_SCHEMA } from '../modules/webadmin/webadmin.schema.js';
import { WEBMAIL_SCHEMA } from '../modules/webmail/webmail.schema.js';

/** The tables of every feature module this build knows, migrated whether or not MAILHIVE_MODULES loads the module. */
export const MODULE_SCHEMAS: readonly ModuleSchema[] = [ORG_SCHEMA, WEBADMIN_SCHEMA, WEBMAIL_SCHEMA];
