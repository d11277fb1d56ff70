import type { MailhiveConfig } from '../config/config.schema.js';

/**
 * Whether introspection is on: as MAILHIVE_GRAPHQL_INTROSPECTION says, and by default (`auto`) everywhere but in
 * production, where it would hand every caller a map of the API.
 */
export function introspectionEnabled(setting: MailhiveConfig['graphqlIntrospection'], nodeEnv: string | undefined): boolean {
  return setting === 'auto' ? nodeEnv !== 'production' : setting;
}
