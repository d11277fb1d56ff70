import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../core/accounts/totp.js';
import { graphqlClient } from '../e2e/graphql-helpers.js';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, launchChromium, screenshot } from './webmail-browser-support.js';

const PASSWORD = 'two factor pass 9';
const USER = 'tess@tf.example';
const ADMIN = 'root@tf.example';

/** The code an authenticator app shows `steps` time steps from now. */
const codeAt = (secret: string, steps: number) => totpCode(secret, Date.now() + steps * TOTP_PERIOD_SECONDS * 1000);

describe.skipIf(browserMissing())('two-factor sign-in and sessions in the browser', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let context: BrowserContext;
  /** Every request the pages made to a host other than the server: the QR code must be drawn locally. */
  const foreignRequests: string[] = [];

  const newContext = async (): Promise<BrowserContext> => {
    const created = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    created.setDefaultTimeout(20_000);
    created.on('request', (request) => {
      if (!request.url().startsWith(`http://127.0.0.1:${server.ports.http}/`) && !request.url().startsWith('data:'))
        foreignRequests.push(request.url());
    });
    return created;
  };

  const webmailCredentials = async (page: Page, email: string) => {
    await page.goto(`http://127.0.0.1:${server.ports.http}/`);
    await page.locator('input[autocomplete=username]').fill(email);
    await page.locator('input[type=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  const signOut = async (page: Page) => {
    await page.locator('.account button', { hasText: 'Sign out' }).click();
    await page.locator('input[autocomplete=username]').waitFor();
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'tf.example')).code).toBe(0);
    expect((await server.cli('user', 'add', USER, '--password', PASSWORD)).code).toBe(0);
    expect((await server.cli('user', 'add', ADMIN, '--password', PASSWORD, '--admin')).code).toBe(0);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    context = await newContext();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('enrols with the QR code and a real code, then signs in with a code and with a recovery code once', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await webmailCredentials(page, USER);
    await page.getByRole('link', { name: 'Security' }).click();
    await expect.poll(() => page.getByTestId('two-factor-state').textContent()).toContain('Off');
    await page.getByRole('button', { name: 'Set up' }).click();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    const secret = (await page.getByTestId('two-factor-secret').textContent()) as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const qr = page.getByRole('img', { name: 'QR code for the authenticator app' });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await qr.evaluate((image: { complete: boolean; naturalWidth: number }) => image.complete && image.naturalWidth > 0)).toBe(true);
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    const codes = await page.getByTestId('recovery-codes').locator('code').allTextContents();
    expect(codes).toHaveLength(10);
    await screenshot(page, 'two-factor-recovery-codes');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByTestId('two-factor-state').textContent()).toContain('On');
    await page.getByRole('button', { name: 'Back to mail' }).click();
    await signOut(page);

    // The password alone no longer signs in: the form asks for the code.
    await webmailCredentials(page, USER);
    const code = page.locator('input[autocomplete=one-time-code]');
    await code.fill(codeAt(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('.account .who', { hasText: USER }).waitFor();
    await signOut(page);

    await webmailCredentials(page, USER);
    await code.fill(codes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('.account .who', { hasText: USER }).waitFor();
    await signOut(page);

    // The same recovery code a second time is refused, and the form stays on the code.
    await webmailCredentials(page, USER);
    await code.fill(codes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.locator('.login [role=alert]').textContent()).toBe('The code is not valid.');
    expect(await page.locator('.account .who').count()).toBe(0);
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.close();
  });

  it('asks WebAdmin sign-in for the code, and an admin resets a user in the users page', async () => {
    const gql = graphqlClient(server);
    const token = (await gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: ADMIN, p: PASSWORD }))
      .data?.login?.token as string;
    const begun = await gql('mutation($p: String!) { beginTwoFactorEnrolment(password: $p) { secret } }', { p: PASSWORD }, token);
    const secret = begun.data?.beginTwoFactorEnrolment?.secret as string;
    expect((await gql('mutation($c: String!) { confirmTwoFactor(code: $c) }', { c: totpCode(secret) }, token)).errors).toBeUndefined();

    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.ports.http}/admin`);
    await page.locator('#email').fill(ADMIN);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#code').fill(codeAt(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('.topbar').waitFor();

    await page.locator('#user-search').fill('tess');
    await page.getByRole('button', { name: `Edit ${USER}` }).click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset two-factor sign-in' }).click();
    await expect.poll(() => page.locator('.editor [role=status]').textContent()).toBe('Saved.');
    const again = await gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: USER, p: PASSWORD });
    expect(again.data?.login?.token).toBeTruthy();
    await page.close();
  });
  it('lists the web and device sessions with browser, address and last use, and ends another one', async () => {
    const gql = graphqlClient(server);
    const page = await context.newPage();
    // Two-factor sign-in was reset by the admin above: the password alone signs in.
    await webmailCredentials(page, USER);
    await page.locator('.account .who', { hasText: USER }).waitFor();
    const phone = await gql(
      'mutation($e: String!, $p: String!) { mobileLogin(email: $e, password: $p, deviceName: "Tess phone") { token } }',
      {
        e: USER,
        p: PASSWORD,
      },
    );
    const phoneToken = phone.data?.mobileLogin?.token as string;
    await page.getByRole('link', { name: 'Security' }).click();
    const rows = page.getByTestId('session-row');
    const current = rows.filter({ hasText: 'This session' });
    await current.waitFor();
    expect(await current.textContent()).toMatch(/^Chrome on Linux · This session127\.0\.0\.1 · Last seen /);
    const phoneRow = rows.filter({ hasText: 'Tess phone' });
    expect(await phoneRow.textContent()).toContain('127.0.0.1');
    await screenshot(page, 'security-sessions');
    await phoneRow.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => rows.filter({ hasText: 'Tess phone' }).count()).toBe(0);
    const ended = await gql('{ me { address } }', {}, phoneToken);
    expect(ended.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await current.count()).toBe(1);
    await page.close();
  });
});
