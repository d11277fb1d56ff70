import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlClient } from '../e2e/graphql-helpers.js';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, launchChromium, screenshot } from './webmail-browser-support.js';

const PASSWORD = 'admin-pass-123';

describe.skipIf(browserMissing())('WebAdmin in the browser', { timeout: 90_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;

  const newContext = async (locale = 'en-US', viewport = { width: 1280, height: 800 }): Promise<BrowserContext> => {
    const context = await browser.newContext({ locale, viewport, acceptDownloads: true });
    context.setDefaultTimeout(20_000);
    return context;
  };

  /** Signs in through the form with the keyboard only: type, Tab, type, Enter. */
  const signIn = async (context: BrowserContext, email: string, password = PASSWORD): Promise<Page> => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`http://127.0.0.1:${server.ports.http}/admin`);
    await page.locator('#email').waitFor();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.locator('.topbar, .login [role=alert]').first().waitFor();
    expect(problems).toEqual([]);
    return page;
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    await server.start();
    browser = await launchChromium();
    const gql = graphqlClient(server);
    const token = (await gql('mutation { adminLogin(email: "root@a.example", password: "admin-pass-123") { token } }')).data?.adminLogin
      ?.token as string;
    expect((await gql('mutation { adminAddDomain(name: "b.example") { name } }', {}, token)).errors).toBeUndefined();
    const users = [
      { address: 'boss@a.example', role: 'domain_admin', adminDomains: ['a.example'] },
      ...Array.from({ length: 30 }, (_, index) => ({
        address: `user${String(index).padStart(2, '0')}@a.example`,
        displayName: `User ${index}`,
      })),
      { address: 'bob@b.example', displayName: 'Bob Other' },
    ];
    for (const input of users) {
      const created = await gql(
        'mutation($i: AdminUserCreateInput!) { adminCreateUser(input: $i) { address } }',
        { i: { password: PASSWORD, ...input } },
        token,
      );
      expect(created.errors).toBeUndefined();
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('refuses a plain user at the admin sign-in', async () => {
    const context = await newContext();
    try {
      const page = await signIn(context, 'user01@a.example');
      await expect.poll(() => page.locator('.login [role=alert]').textContent()).toBe('This account may not use WebAdmin.');
    } finally {
      await context.close();
    }
  });

  it('lists, searches, sorts and pages users, and creates, edits and deletes one', async () => {
    const context = await newContext();
    try {
      const page = await signIn(context, 'root@a.example');
      await page.locator('h1', { hasText: 'Users' }).waitFor();
      await expect.poll(() => page.locator('.pager [role=status]').textContent()).toBe('1–25 of 33');
      await page.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => page.locator('.pager [role=status]').textContent()).toBe('26–33 of 33');
      await page.getByRole('button', { name: 'Sort by Address' }).click();
      await expect.poll(() => page.locator('tbody tr').first().locator('td').first().textContent()).toBe('user29@a.example');
      await page.locator('#user-search').fill('bob');
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      await page.locator('#user-search').fill('');

      await page.getByRole('button', { name: 'New user' }).click();
      const creator = page.getByRole('form', { name: 'New user' });
      await creator.getByLabel('Address').fill('newbie@a.example');
      await creator.getByLabel('Name').fill('New Bie');
      await creator.getByLabel('Password').fill('newbie-pass-1');
      await creator.getByLabel('Quota (MB, 0 = unlimited)').fill('100');
      await creator.getByRole('button', { name: 'Create' }).click();
      await page.locator('.notice[role=status], .editor [role=alert]').first().waitFor();
      expect(await page.locator('.editor [role=alert]').allTextContents()).toEqual([]);
      await page.locator('#user-search').fill('newbie');
      const row = page.locator('tbody tr', { hasText: 'newbie@a.example' });
      await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('100 MB');

      await row.getByRole('button', { name: 'Edit newbie@a.example' }).click();
      const editor = page.getByRole('form', { name: 'Edit newbie@a.example' });
      await editor.getByLabel('Quota (MB, 0 = unlimited)').fill('200');
      await editor.getByLabel('Disabled').check();
      await editor.getByLabel('Reset password').fill('another-pass-2');
      await editor.getByRole('button', { name: 'Save' }).click();
      await page.locator('.notice[role=status], .editor [role=alert]').first().waitFor();
      expect(await page.locator('.editor [role=alert]').allTextContents()).toEqual([]);
      await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('200 MB');
      expect(await row.locator('td').nth(5).textContent()).toBe('Disabled');
      await screenshot(page, 'webadmin-users');

      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: 'Delete newbie@a.example' }).click();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('adds and removes a domain, and shows the audit log with filter and CSV download', async () => {
    const context = await newContext();
    try {
      const page = await signIn(context, 'root@a.example');
      await page.getByRole('link', { name: 'Domains' }).click();
      await page.getByLabel('Domain', { exact: true }).fill('c.example');
      await page.getByRole('button', { name: 'Add domain' }).click();
      const row = page.locator('tbody tr', { hasText: 'c.example' });
      await row.waitFor();
      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: 'Remove c.example' }).click();
      await expect.poll(() => page.locator('tbody tr', { hasText: 'c.example' }).count()).toBe(0);

      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByLabel('Target').fill('c.example');
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(() => page.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(['domain.remove', 'domain.add']);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
      const csv = await readFile(await download.path(), 'utf8');
      expect(csv.split('\r\n')[0]).toBe('id,time,actor,role,action,target,client,detail');
      expect(csv).toContain(',root@a.example,system_admin,domain.add,c.example,');
      await screenshot(page, 'webadmin-audit');
    } finally {
      await context.close();
    }
  });

  it('shows a domain admin its own domain only', async () => {
    const context = await newContext();
    try {
      const page = await signIn(context, 'boss@a.example');
      await expect.poll(() => page.locator('.pager [role=status]').textContent()).toBe('1–25 of 32');
      await page.locator('#user-search').fill('bob');
      await expect.poll(() => page.locator('.pager [role=status]').textContent()).toBe('0–0 of 0');
      await page.getByRole('link', { name: 'Domains' }).click();
      await expect.poll(() => page.locator('tbody tr td:first-child').allTextContents()).toEqual(['a.example']);
      expect(await page.getByRole('button', { name: 'Add domain' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody').textContent()).not.toContain('b.example');
    } finally {
      await context.close();
    }
  });

  it('speaks Chinese to a Chinese browser and fits a phone screen', async () => {
    const context = await newContext('zh-CN', { width: 390, height: 800 });
    try {
      const page = await signIn(context, 'root@a.example');
      await page.locator('h1', { hasText: '用户' }).waitFor();
      expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
      await expect.poll(() => page.locator('.pager [role=status]').textContent()).toBe('第 1–25 条，共 33 条');
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await screenshot(page, 'webadmin-phone-zh');
    } finally {
      await context.close();
    }
  });
});
