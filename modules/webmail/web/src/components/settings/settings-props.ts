import type { MailSettings } from '../../api/settings-api.js';
import type { Account } from '../../api/types.js';

/** What every settings section gets: the account, the settings as stored, and ways to report a change or failure. */
export interface SettingsProps {
  account: Account;
  settings: MailSettings;
  onSettings: (next: MailSettings) => void;
  onAccount: (next: Account) => void;
  onError: (error: unknown) => void;
}
