import { graphql } from './graphql-client.js';
import type { Account } from './types.js';

export type ListDensity = 'COMFORTABLE' | 'COMPACT';
export type ReadingPaneLayout = 'RIGHT' | 'OFF';

export interface Signature {
  id: string;
  name: string;
  text: string;
}

export interface SendingIdentity {
  address: string;
  name: string;
  signatureId: string | null;
}

export interface MailSettings {
  language: string | null;
  timeZone: string | null;
  density: ListDensity;
  readingPane: ReadingPaneLayout;
  conversationView: boolean;
  signatures: Signature[];
  identities: SendingIdentity[];
  sendableAddresses: string[];
}

export type MailSettingsChange = Partial<Omit<MailSettings, 'sendableAddresses'>>;

/** Out-of-office, as the vacation plugin's own GraphQL fields (pluginQuery/pluginMutation) hold it. */
export interface VacationSettings {
  enabled: boolean;
  start: string | null;
  end: string | null;
  subject: string;
  body: string;
  /** Other addresses of the user (aliases) that count as addressed to them. */
  addresses: string[];
}

const SETTINGS = `language timeZone density readingPane conversationView signatures { id name text }
  identities { address name signatureId } sendableAddresses`;

export async function loadSettings(): Promise<MailSettings> {
  return (await graphql<{ mailSettings: MailSettings }>(`query MailSettings { mailSettings { ${SETTINGS} } }`)).mailSettings;
}

export async function saveSettings(change: MailSettingsChange): Promise<MailSettings> {
  return (
    await graphql<{ updateMailSettings: MailSettings }>(
      `mutation UpdateMailSettings($input: MailSettingsInput!) { updateMailSettings(input: $input) { ${SETTINGS} } }`,
      { input: change },
    )
  ).updateMailSettings;
}

export async function saveDisplayName(displayName: string): Promise<Account> {
  return (
    await graphql<{ setDisplayName: Account }>(
      'mutation SetDisplayName($name: String!) { setDisplayName(displayName: $name) { id address displayName } }',
      { name: displayName },
    )
  ).setDisplayName;
}

/** Changes the password; the server ends every other session (this one stays). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await graphql(
    'mutation ChangePassword($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }',
    {
      current: currentPassword,
      next: newPassword,
    },
  );
}

/** The vacation plugin's settings, or null when the plugin is not enabled on this server. */
export async function loadVacation(): Promise<VacationSettings | null> {
  try {
    const data = await graphql<{ pluginQuery: string }>('query Vacation { pluginQuery(plugin: "vacation", field: "settings") }');
    return JSON.parse(data.pluginQuery) as VacationSettings;
  } catch {
    return null;
  }
}

export async function saveVacation(settings: VacationSettings): Promise<VacationSettings> {
  const data = await graphql<{ pluginMutation: string }>(
    'mutation SetVacation($args: String!) { pluginMutation(plugin: "vacation", field: "setSettings", argsJson: $args) }',
    { args: JSON.stringify(settings) },
  );
  return JSON.parse(data.pluginMutation) as VacationSettings;
}
