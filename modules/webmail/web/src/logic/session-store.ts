import type { Account } from '../api/types.js';

/**
 * The signed-in user as the page knows it. The session token itself is in an HttpOnly cookie the page never
 * sees; nothing secret is kept in localStorage or sessionStorage, where any script of the origin could read it.
 */
export interface WebSession {
  account: Account;
}

export const CSRF_COOKIE = 'mailhive_csrf';

/** Where an older client kept the session token; dropped on sight. */
const LEGACY_SESSION_KEY = 'mailhive.session';

/** The csrf value in a `document.cookie` string (RFC 6265 §5.4 pairs), or null when there is none. */
export function csrfFromCookies(cookies: string): string | null {
  for (const pair of cookies.split(';')) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === CSRF_COOKIE) return pair.slice(equals + 1).trim() || null;
  }
  return null;
}

/** Forgets what was kept for the session (folder list, correspondents, an older client's token); the language stays. */
export function clearSession(storage: Pick<Storage, 'removeItem' | 'key' | 'length'>): void {
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key?.startsWith('mailhive.') && key !== 'mailhive.language') keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

export function dropLegacyToken(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(LEGACY_SESSION_KEY);
}
