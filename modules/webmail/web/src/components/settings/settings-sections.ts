import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/messages.js';
import { DisplaySettings } from './display-settings.js';
import { IdentitySettings } from './identity-settings.js';
import { ProfileSettings } from './profile-settings.js';
import type { SettingsProps } from './settings-props.js';
import { SetupSettings } from './setup-settings.js';
import { SignatureSettings } from './signature-settings.js';
import { VacationSettingsSection } from './vacation-settings.js';

export interface SettingsSection {
  /** The URL part: `#/settings/<id>`. */
  id: string;
  label: MessageKey;
  Component: ComponentType<SettingsProps>;
}

/** The settings page's sections, in the order of its menu. A feature adds its section here (one entry). */
export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { id: 'profile', label: 'settingsProfile', Component: ProfileSettings },
  { id: 'signatures', label: 'settingsSignatures', Component: SignatureSettings },
  { id: 'identities', label: 'settingsIdentities', Component: IdentitySettings },
  { id: 'display', label: 'settingsDisplay', Component: DisplaySettings },
  { id: 'vacation', label: 'settingsVacation', Component: VacationSettingsSection },
  { id: 'setup', label: 'settingsSetup', Component: SetupSettings },
];
