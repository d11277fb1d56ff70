import { CSRF_COOKIE, csrfFromCookies } from '../logic/session-store.js';

/** The csrf value of the current web session (the readable mailhive_csrf cookie), read fresh on every request. */
export function csrfToken(): string | null {
  return csrfFromCookies(document.cookie);
}

/** Headers that let the server accept the session cookie: the double-submitted csrf value. */
export function sessionHeaders(): Record<string, string> {
  const csrf = csrfToken();
  return csrf ? { 'x-csrf-token': csrf } : {};
}

/** Drops the readable csrf cookie when the server could not (offline sign-out, a session ended elsewhere). */
export function forgetCsrfCookie(): void {
  document.cookie = `${CSRF_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
}
