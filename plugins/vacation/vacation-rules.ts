/** A user's out-of-office settings, as the plugin's GraphQL fields read and write them. */
export interface VacationSettings {
  enabled: boolean;
  /** First and last day (YYYY-MM-DD, UTC) the replies go out; null for open-ended. */
  start: string | null;
  end: string | null;
  subject: string;
  body: string;
  /** Other addresses of the user (aliases) that count as addressed to them. */
  addresses: readonly string[];
}

export const DEFAULT_SETTINGS: VacationSettings = { enabled: false, start: null, end: null, subject: '', body: '', addresses: [] };

export const SKIP_REASONS = [
  'inactive',
  'null-sender',
  'auto-submitted',
  'bulk',
  'list',
  'suppressed',
  'system-sender',
  'self',
  'not-addressed',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Settings as a caller submitted them, checked; a message naming the first problem otherwise. */
export function parseSettings(input: Readonly<Record<string, unknown>>): VacationSettings | string {
  const settings = { ...DEFAULT_SETTINGS };
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== 'boolean') return 'enabled: true or false';
    settings.enabled = input.enabled;
  }
  for (const key of ['start', 'end'] as const) {
    const value = input[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || !DAY.test(value) || Number.isNaN(Date.parse(value))) return `${key}: a date like 2026-12-24`;
    settings[key] = value;
  }
  if (settings.start && settings.end && settings.end < settings.start) return 'end: before start';
  for (const key of ['subject', 'body'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') return `${key}: text`;
    if (value.length > (key === 'subject' ? 200 : 10_000)) return `${key}: too long`;
    settings[key] = value;
  }
  if (input.addresses !== undefined) {
    if (!Array.isArray(input.addresses) || !input.addresses.every((item) => typeof item === 'string'))
      return 'addresses: a list of addresses';
    settings.addresses = input.addresses.map((item: string) => item.toLowerCase());
  }
  if (settings.enabled && !settings.body.trim()) return 'body: required when enabled';
  return settings;
}

/** Whether the settings are in force on `now` (dates are whole UTC days, both ends included). */
export function activeOn(settings: VacationSettings, now: Date): boolean {
  if (!settings.enabled) return false;
  const today = now.toISOString().slice(0, 10);
  return (!settings.start || today >= settings.start) && (!settings.end || today <= settings.end);
}

// RFC 5230 §4.5: never answer the addresses of mailing-list software or of mail systems.
const SYSTEM_LOCAL_PARTS =
  /^(mailer-daemon|postmaster|listserv|majordomo|noreply|no-reply|do-not-reply|donotreply|bounces?)$|^owner-|-owner$|-request$|-bounces?$/i;

/**
 * Why this message gets no automatic reply, or null when it gets one (RFC 3834 §2, RFC 5230 §4.5): never to the
 * null sender, to automatic or bulk or list mail, to system addresses, to oneself, or when the user's address is
 * not in To or Cc (mail that reached them through a list or a Bcc).
 */
export function skipReason(
  message: { sender: string; recipient: string; headers: Readonly<Record<string, string>> },
  settings: VacationSettings,
  now: Date,
): SkipReason | null {
  if (!activeOn(settings, now)) return 'inactive';
  const { headers } = message;
  const sender = message.sender.toLowerCase();
  if (!sender) return 'null-sender';
  const auto = headers['auto-submitted']?.split(';')[0]?.trim().toLowerCase();
  if (auto && auto !== 'no') return 'auto-submitted';
  if (/^(bulk|list|junk)$/i.test(headers.precedence?.trim() ?? '')) return 'bulk';
  if (['list-id', 'list-unsubscribe', 'list-post', 'list-help', 'list-owner'].some((name) => headers[name] !== undefined)) return 'list';
  if (/\b(all|oof|autoreply)\b/i.test(headers['x-auto-response-suppress'] ?? '')) return 'suppressed';
  if (SYSTEM_LOCAL_PARTS.test(sender.slice(0, sender.lastIndexOf('@')))) return 'system-sender';
  const own = [message.recipient.toLowerCase(), ...settings.addresses];
  if (own.includes(sender)) return 'self';
  const addressed = `${headers.to ?? ''},${headers.cc ?? ''}`.toLowerCase();
  if (!own.some((address) => addressed.includes(address))) return 'not-addressed';
  return null;
}

/** The subject of the reply: the user's own, else "Auto: " and the original (RFC 3834 §3.1.5). */
export function replySubject(settings: VacationSettings, original: string | undefined): string {
  if (settings.subject.trim()) return settings.subject.trim();
  return `Auto: ${original?.trim() || 'your message'}`;
}
