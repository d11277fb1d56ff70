import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, deliverOverSmtp, launchChromium, signIn } from './webmail-browser-support.js';

const USER = 'keeper@cookie.example';
const PASSWORD = 'no token in reach 8';

/** Everything the page's scripts can read from web storage, as one string. */
const STORAGE_DUMP = `JSON.stringify([localStorage, sessionStorage].map((storage) =>
  Array.from({ length: storage.length }, (_, index) => [storage.key(index), storage.getItem(storage.key(index))])))`;

describe.skipIf(browserMissing())('webmail session kept in an HttpOnly cookie', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const sessionCookie = async () => (await context.cookies()).find((cookie) => cookie.name === 'mailhive_session');

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'cookie.example');
    await server.cli('user', 'add', USER, '--password', PASSWORD);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    await deliverOverSmtp(server, { from: 'Friend <friend@outside.example>', to: USER, subject: 'Still here', text: 'hello' });
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    page = await signIn(context, server, USER, PASSWORD);
    await page.locator('.message-row', { hasText: 'Still here' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('keeps the session token where no script of the page can read it', async () => {
    const cookie = await sessionCookie();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const token = cookie?.value as string;
    expect(token.length).toBeGreaterThan(40);
    const storage = (await page.evaluate(STORAGE_DUMP)) as string;
    expect(storage).not.toContain(token);
    expect(storage).not.toContain('mailhive.session');
    const visible = (await page.evaluate('document.cookie')) as string;
    expect(visible).not.toContain('mailhive_session');
    expect(visible).not.toContain(token);
    expect(visible).toMatch(/(^|; )mailhive_csrf=[\w-]{40,}/);
  });

  it('keeps the session across a reload', async () => {
    await page.reload();
    await page.locator('.message-row', { hasText: 'Still here' }).waitFor();
    expect(await page.locator('.account .who').textContent()).toBe(USER);
    const token = (await sessionCookie())?.value;
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(await page.evaluate(STORAGE_DUMP)).not.toContain(token);
  });

  it('ends the session on sign-out: cookies gone, token revoked, the form after a reload', async () => {
    const token = (await sessionCookie())?.value as string;
    expect(token).toMatch(/^[\w-]{40,}$/);
    await page.locator('.account button', { hasText: 'Sign out' }).click();
    await page.locator('input[autocomplete=username]').waitFor();
    expect((await context.cookies()).map((cookie) => cookie.name)).toEqual([]);
    // The token no longer opens anything, even to a client that kept it.
    const response = await fetch(`http://127.0.0.1:${server.ports.http}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { address } }' }),
    });
    expect(((await response.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    await page.reload();
    await page.locator('input[autocomplete=username]').waitFor();
    expect(await page.locator('.login .notice').count()).toBe(0);
    expect(await page.locator('.folders').count()).toBe(0);
  });
});
