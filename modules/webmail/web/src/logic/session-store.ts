import type { Account } from '../api/types.js';

export interface StoredSession {
  token: string;
  expiresAt: string;
  account: Account;
}

const KEY = 'mailhive.session';

/** The session kept across reloads; an expired or unreadable one counts as none. */
export function loadSession(storage: Pick<Storage, 'getItem' | 'removeItem'>, now = Date.now()): StoredSession | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as StoredSession;
    if (typeof session.token !== 'string' || !session.account || Date.parse(session.expiresAt) <= now) {
      storage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(storage: Pick<Storage, 'setItem'>, session: StoredSession): void {
  storage.setItem(KEY, JSON.stringify(session));
}

/** Forgets the session and what was kept for it (folder list, correspondents); the language choice stays. */
export function clearSession(storage: Pick<Storage, 'removeItem' | 'key' | 'length'>): void {
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key?.startsWith('mailhive.') && key !== 'mailhive.language') keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
