/** A user's webmail settings: their shape, defaults and limits, and the checks on a change (pure, no I/O). */

export const SETTINGS_LANGUAGES = ['en', 'zh-CN'] as const;
export type SettingsLanguage = (typeof SETTINGS_LANGUAGES)[number];
export type ListDensity = 'comfortable' | 'compact';
export type ReadingPaneLayout = 'right' | 'off';

export interface Signature {
  id: string;
  name: string;
  text: string;
}

/** An address the user sends as: their own, or an alias of theirs, with the name and signature it goes out with. */
export interface SendingIdentity {
  address: string;
  name: string;
  signatureId: string | null;
}

export interface UserSettings {
  /** null: follow the browser. */
  language: SettingsLanguage | null;
  /** An IANA zone name; null: the browser's. */
  timeZone: string | null;
  density: ListDensity;
  readingPane: ReadingPaneLayout;
  /** Whether the list groups messages into conversations. */
  conversationView: boolean;
  signatures: Signature[];
  identities: SendingIdentity[];
}

export const DEFAULT_USER_SETTINGS: UserSettings = {
  language: null,
  timeZone: null,
  density: 'comfortable',
  readingPane: 'right',
  conversationView: false,
  signatures: [],
  identities: [],
};

export const SETTINGS_LIMITS = {
  signatures: 10,
  signatureNameChars: 100,
  signatureTextChars: 10_000,
  identities: 20,
  identityNameChars: 200,
  timeZoneChars: 64,
} as const;

export type SettingsChange = Partial<UserSettings>;

function isTimeZone(zone: string): boolean {
  if (zone.length > SETTINGS_LIMITS.timeZoneChars) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The change, checked: null when it is acceptable, else what is wrong with it. `sendable` is every address the user
 * may send as (lower case); an identity with any other address is refused.
 */
export function settingsProblem(change: SettingsChange, sendable: ReadonlySet<string>): string | null {
  if (change.language != null && !SETTINGS_LANGUAGES.includes(change.language))
    return `language must be one of ${SETTINGS_LANGUAGES.join(', ')}`;
  if (change.timeZone != null && !isTimeZone(change.timeZone)) return `"${change.timeZone.slice(0, 64)}" is not a time zone`;
  if (change.signatures) {
    if (change.signatures.length > SETTINGS_LIMITS.signatures) return `at most ${SETTINGS_LIMITS.signatures} signatures`;
    const ids = new Set<string>();
    for (const signature of change.signatures) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(signature.id)) return 'a signature id is 1 to 32 letters, digits, - or _';
      if (ids.has(signature.id)) return `the signature id "${signature.id}" is used twice`;
      ids.add(signature.id);
      if (signature.name.trim() === '' || signature.name.length > SETTINGS_LIMITS.signatureNameChars)
        return `a signature name has 1 to ${SETTINGS_LIMITS.signatureNameChars} characters`;
      if (signature.text.length > SETTINGS_LIMITS.signatureTextChars)
        return `a signature has at most ${SETTINGS_LIMITS.signatureTextChars} characters`;
    }
  }
  if (change.identities) {
    if (change.identities.length > SETTINGS_LIMITS.identities) return `at most ${SETTINGS_LIMITS.identities} sending identities`;
    const seen = new Set<string>();
    for (const identity of change.identities) {
      const address = identity.address.toLowerCase();
      if (!sendable.has(address)) return `you cannot send as ${identity.address.slice(0, 320)}: it is not your address or an alias of it`;
      if (seen.has(address)) return `${address} is listed twice`;
      seen.add(address);
      if (identity.name.length > SETTINGS_LIMITS.identityNameChars)
        return `a sender name has at most ${SETTINGS_LIMITS.identityNameChars} characters`;
    }
  }
  return null;
}

/** The stored settings over the defaults; a value that no longer reads as its setting falls back to the default. */
export function readSettings(stored: ReadonlyMap<string, string>): UserSettings {
  const settings: UserSettings = { ...DEFAULT_USER_SETTINGS };
  const value = (name: keyof UserSettings): unknown => {
    const text = stored.get(name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };
  const language = value('language');
  if (typeof language === 'string' && (SETTINGS_LANGUAGES as readonly string[]).includes(language))
    settings.language = language as SettingsLanguage;
  const timeZone = value('timeZone');
  if (typeof timeZone === 'string') settings.timeZone = timeZone;
  const density = value('density');
  if (density === 'compact' || density === 'comfortable') settings.density = density;
  const readingPane = value('readingPane');
  if (readingPane === 'right' || readingPane === 'off') settings.readingPane = readingPane;
  settings.conversationView = value('conversationView') === true;
  const signatures = value('signatures');
  if (Array.isArray(signatures)) settings.signatures = signatures as Signature[];
  const identities = value('identities');
  if (Array.isArray(identities)) settings.identities = identities as SendingIdentity[];
  return settings;
}

/** The stored form of a change: one JSON value per setting given. */
export function settingsRows(change: SettingsChange): Map<string, string> {
  const rows = new Map<string, string>();
  for (const [name, value] of Object.entries(change)) if (value !== undefined) rows.set(name, JSON.stringify(value));
  return rows;
}
