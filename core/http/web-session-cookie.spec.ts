import { describe, expect, it } from 'vitest';
import { clearedWebSessionCookies, connectionSession, cookieValue, requestSessionToken, webSessionCookies } from './web-session-cookie.js';

const TOKEN = 'k3y_-sessionTokenOf43CharactersXXXXXXXXXXXX';
const CSRF = 'csrf-value_1';
const cookies = `theme=dark; mailhive_session=${TOKEN}; mailhive_csrf=${CSRF}`;

describe('web session cookie', () => {
  it('reads one cookie, refusing duplicates, foreign characters and oversized headers', () => {
    expect(cookieValue(cookies, 'mailhive_session')).toBe(TOKEN);
    expect(cookieValue('mailhive_session=a; mailhive_session=b', 'mailhive_session')).toBeNull();
    expect(cookieValue('mailhive_session="a b"', 'mailhive_session')).toBeNull();
    expect(cookieValue('xmailhive_session=a', 'mailhive_session')).toBeNull();
    expect(cookieValue(`pad=${'a'.repeat(9000)}; mailhive_session=a`, 'mailhive_session')).toBeNull();
    expect(cookieValue(undefined, 'mailhive_session')).toBeNull();
  });

  it('takes the cookie only with X-CSRF-Token equal to the csrf cookie, and a bearer token before any cookie', () => {
    expect(requestSessionToken({ headers: { cookie: cookies, 'x-csrf-token': CSRF } })).toBe(TOKEN);
    expect(requestSessionToken({ headers: { cookie: cookies } })).toBeNull();
    expect(requestSessionToken({ headers: { cookie: cookies, 'x-csrf-token': 'csrf-value_2' } })).toBeNull();
    expect(requestSessionToken({ headers: { cookie: `mailhive_session=${TOKEN}`, 'x-csrf-token': '' } })).toBeNull();
    expect(
      requestSessionToken({
        headers: { cookie: `mailhive_session=${TOKEN}; mailhive_csrf=${'a'.repeat(129)}`, 'x-csrf-token': 'a'.repeat(129) },
      }),
    ).toBeNull();
    expect(connectionSession({ headers: { cookie: cookies, host: 'h', origin: 'http://h' } }, { csrf: 'x'.repeat(1_000_000) })).toEqual({
      ok: false,
    });
    expect(requestSessionToken({ headers: { cookie: cookies, 'x-csrf-token': CSRF, authorization: 'Bearer app-token' } })).toBe(
      'app-token',
    );
    expect(requestSessionToken({ headers: { cookie: cookies, 'x-csrf-token': CSRF, authorization: 'Basic eDp5' } })).toBeNull();
  });

  it('accepts the cookie on a websocket upgrade only from our own origin with the csrf value in connectionParams', () => {
    const upgrade = (origin: string | undefined, host = '127.0.0.1:9900') => ({
      headers: { cookie: cookies, host, ...(origin ? { origin } : {}) },
    });
    const ours = upgrade('http://127.0.0.1:9900');
    expect(connectionSession(ours, { csrf: CSRF })).toEqual({ ok: true, token: TOKEN });
    expect(connectionSession(upgrade('https://MAIL.example.test', 'mail.example.test'), { csrf: CSRF })).toEqual({
      ok: true,
      token: TOKEN,
    });
    for (const origin of ['http://evil.example', 'http://127.0.0.1:9901', 'null', 'not a url', undefined]) {
      expect(connectionSession(upgrade(origin), { csrf: CSRF }), String(origin)).toEqual({ ok: false });
    }
    expect(connectionSession(ours, { csrf: 'other' })).toEqual({ ok: false });
    expect(connectionSession(ours, {})).toEqual({ ok: false });
    expect(connectionSession({ headers: { host: 'h', origin: 'http://h' } }, {})).toEqual({ ok: true, token: null });
    expect(connectionSession(undefined, undefined)).toEqual({ ok: true, token: null });
  });

  it("takes an app's token from connectionParams first, as `Bearer <token>` or bare", () => {
    const foreign = { headers: { cookie: cookies, host: 'h', origin: 'http://evil.example' } };
    expect(connectionSession(foreign, { authorization: 'Bearer app-token' })).toEqual({ ok: true, token: 'app-token' });
    expect(connectionSession(foreign, { Authorization: 'app-token' })).toEqual({ ok: true, token: 'app-token' });
    expect(connectionSession(foreign, { authorization: 42 })).toEqual({ ok: true, token: null });
  });

  it('sets an HttpOnly SameSite=Strict session cookie and a readable csrf cookie for the token lifetime', () => {
    const set = webSessionCookies(TOKEN, 1_000_000 + 604_800_000, true, 1_000_000);
    expect(set.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(set.setCookie).toEqual([
      `mailhive_session=${TOKEN}; Max-Age=604800; Path=/; SameSite=Strict; Secure; HttpOnly`,
      `mailhive_csrf=${set.csrfToken}; Max-Age=604800; Path=/; SameSite=Strict; Secure`,
    ]);
    expect(webSessionCookies(TOKEN, 2000, false, 0).setCookie[0]).not.toContain('Secure');
    expect(clearedWebSessionCookies(false)).toEqual([
      'mailhive_session=; Max-Age=0; Path=/; SameSite=Strict; HttpOnly',
      'mailhive_csrf=; Max-Age=0; Path=/; SameSite=Strict',
    ]);
  });
});
