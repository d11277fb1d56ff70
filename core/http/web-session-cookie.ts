import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { bearerToken } from '../graphql/graphql-context.js';

/**
 * The web client's session: the token in an HttpOnly cookie no script can read, so script that ever ran in the
 * webmail origin could not carry the session away; apps keep sending `Authorization: Bearer`. Every request the
 * cookie authenticates must also carry X-CSRF-Token equal to the readable mailhive_csrf cookie (double submit):
 * another site can neither read that cookie nor set the header without a CORS preflight we never grant, on top
 * of SameSite=Strict keeping the cookies off cross-site requests.
 */
export const SESSION_COOKIE = 'mailhive_session';
export const CSRF_COOKIE = 'mailhive_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The names of one web client's cookie pair and csrf header. */
export interface SessionCookieNames {
  session: string;
  csrf: string;
  header: string;
}

export const WEBMAIL_COOKIES: SessionCookieNames = { session: SESSION_COOKIE, csrf: CSRF_COOKIE, header: CSRF_HEADER };
/**
 * WebAdmin's own pair: signing in to /admin neither reuses nor replaces the webmail's session, and the admin
 * session (idle timeout, sign-out everywhere) is the one its page proves with its own header.
 */
export const ADMIN_COOKIES: SessionCookieNames = {
  session: 'mailhive_admin_session',
  csrf: 'mailhive_admin_csrf',
  header: 'x-admin-csrf-token',
};

/** Our cookie values are base64url (43 characters); anything else, or longer, is not ours and is not compared. */
const MAX_SECRET_LENGTH = 128;
const COOKIE_VALUE = /^[A-Za-z0-9_-]{1,128}$/;
/** Node refuses header blocks over 16 KiB; a Cookie header past this is not read at all. */
const MAX_COOKIE_HEADER = 8192;
const CSRF_BYTES = 32;

interface RequestLike {
  headers: IncomingHttpHeaders;
  socket?: Socket | null;
}

/**
 * The value of one cookie in a Cookie header (RFC 6265 §5.4), or null when it is absent, malformed or sent twice:
 * two cookies of one name (one of them set by a sibling host) leave no way to know which is ours.
 */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined || header.length > MAX_COOKIE_HEADER) return null;
  let found: string | null = null;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    if (found !== null) return null;
    found = pair.slice(equals + 1).trim();
  }
  return found !== null && COOKIE_VALUE.test(found) ? found : null;
}

/**
 * Hashing first gives both sides one length, so the comparison's time tells nothing about either value; a proof
 * longer than any of our secrets is refused before it is hashed.
 */
function sameSecret(proof: string, secret: string): boolean {
  if (proof.length > MAX_SECRET_LENGTH) return false;
  return timingSafeEqual(createHash('sha256').update(proof).digest(), createHash('sha256').update(secret).digest());
}

function singleHeader(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value.trim() : null;
}

/**
 * The session token a request proves: the bearer token when it has an Authorization header (apps; a cookie is
 * then ignored), else the session cookie, but only with X-CSRF-Token equal to the csrf cookie.
 * GraphQL over HTTP and the webmail's download and upload endpoints all authenticate through this one function.
 */
export function requestSessionToken(request: RequestLike): string | null {
  if (request.headers.authorization !== undefined) return bearerToken(request.headers.authorization);
  // The admin pair counts only on a request that carries the admin header, so the two clients never mix.
  const names = request.headers[ADMIN_COOKIES.header] !== undefined ? ADMIN_COOKIES : WEBMAIL_COOKIES;
  const session = cookieValue(request.headers.cookie, names.session);
  const csrf = cookieValue(request.headers.cookie, names.csrf);
  const proof = singleHeader(request.headers[names.header]);
  return session && csrf && proof && sameSecret(proof, csrf) ? session : null;
}

function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = singleHeader(headers.origin);
  const host = singleHeader(headers.host);
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

/** The token a graphql-ws connection offers (null: none, an anonymous socket), or refused. */
export type ConnectionSession = { ok: true; token: string | null } | { ok: false };

/**
 * The session of a graphql-ws connection. Apps put their token in connection_init as `authorization`
 * (`Bearer <token>` or the bare token). Without it, the web client's cookie counts, but only when the page that
 * opened the socket is ours (Origin equals Host: browsers send cookies on an upgrade from any site and websockets
 * have no CORS) and connectionParams.csrf equals the csrf cookie. A cookie offered without both is refused rather
 * than ignored, so a cross-site page gets a closed socket, not an anonymous one.
 */
export function connectionSession(
  request: RequestLike | undefined,
  connectionParams: Record<string, unknown> | undefined,
): ConnectionSession {
  const authorization = connectionParams?.authorization ?? connectionParams?.Authorization;
  if (authorization !== undefined) {
    return {
      ok: true,
      token: bearerToken(authorization) ?? (typeof authorization === 'string' && authorization !== '' ? authorization : null),
    };
  }
  const cookies = request?.headers.cookie;
  const session = cookieValue(cookies, SESSION_COOKIE);
  if (!request || !session) return { ok: true, token: null };
  const csrf = cookieValue(cookies, CSRF_COOKIE);
  const proof = connectionParams?.csrf;
  if (!sameOrigin(request.headers) || !csrf || typeof proof !== 'string' || !sameSecret(proof, csrf)) return { ok: false };
  return { ok: true, token: session };
}

/** Whether the request reached us over TLS: we trust no proxy header, so only our own TLS socket counts. */
export function isTlsRequest(request: RequestLike | undefined): boolean {
  const socket = request?.socket as (Socket & { encrypted?: boolean }) | null | undefined;
  return socket?.encrypted === true;
}

function attributes(maxAgeSeconds: number, secure: boolean): string {
  return `; Max-Age=${maxAgeSeconds}; Path=/; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export interface WebSessionCookies {
  csrfToken: string;
  /** Set-Cookie values: the HttpOnly session cookie and the readable csrf cookie, both living as long as the session. */
  setCookie: string[];
}

export function webSessionCookies(
  token: string,
  expiresAt: number,
  secure: boolean,
  now = Date.now(),
  names = WEBMAIL_COOKIES,
): WebSessionCookies {
  const csrfToken = randomBytes(CSRF_BYTES).toString('base64url');
  const maxAge = Math.max(0, Math.round((expiresAt - now) / 1000));
  return {
    csrfToken,
    setCookie: [
      `${names.session}=${token}${attributes(maxAge, secure)}; HttpOnly`,
      `${names.csrf}=${csrfToken}${attributes(maxAge, secure)}`,
    ],
  };
}

/** Set-Cookie values that make the browser drop both cookies (RFC 6265 §5.2.2: a Max-Age of zero expires at once). */
export function clearedWebSessionCookies(secure: boolean, names = WEBMAIL_COOKIES): string[] {
  return [`${names.session}=${attributes(0, secure)}; HttpOnly`, `${names.csrf}=${attributes(0, secure)}`];
}
