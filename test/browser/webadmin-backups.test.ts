import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpDeliver } from '../e2e/graphql-helpers.js';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, launchChromium } from './webmail-browser-support.js';

const PASSWORD = 'admin-pass-123';

describe.skipIf(browserMissing())('WebAdmin backups page in the browser', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let location: string;

  beforeAll(async () => {
    location = mkdtempSync(join(tmpdir(), 'mailhive-admin-backups-'));
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'bk.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@bk.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    expect(
      (await server.cli('user', 'add', 'boss@bk.example', '--password', PASSWORD, '--role', 'domain-admin', '--domains', 'bk.example'))
        .code,
    ).toBe(0);
    expect((await server.cli('user', 'add', 'ann@bk.example', '--password', PASSWORD)).code).toBe(0);
    await server.start();
    await smtpDeliver(
      server,
      [1, 2].map((n) => ({ from: 'x@outside.example', to: 'ann@bk.example', subject: `Backed up ${n}` })),
    );
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
    rmSync(location, { recursive: true, force: true });
  });

  const signedIn = async (email: string): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`http://127.0.0.1:${server.ports.http}/admin#/backups`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password').press('Enter');
    await page.locator('.topbar').waitFor();
    return { page, problems, close: () => context.close() };
  };

  it('sets the schedule, backs up now, follows the job to its end, and verifies the backup', async () => {
    const { page, problems, close } = await signedIn('root@bk.example');
    try {
      await page.getByRole('link', { name: 'Backups' }).click();
      const form = page.getByRole('form', { name: 'Schedule' });
      await form.getByLabel('Back up on this schedule').check();
      await form.getByLabel('Full backups (cron expression)').fill('0 3 * * *');
      await form.getByLabel('Incremental backups (cron expression; empty for none)').fill('not a cron');
      await form.getByLabel('Location (a directory on the server)').fill(location);
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('alert').filter({ hasText: 'not a cron expression' }).waitFor();

      await form.getByLabel('Incremental backups (cron expression; empty for none)').fill('');
      await form.getByLabel('Full backups (cron expression)').fill('0 3 * * *');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      await form.getByText(/^Next runs:/).waitFor();

      await page.getByRole('button', { name: 'Full backup now' }).click();
      // The history refreshes itself while the job runs, until it has succeeded.
      const row = page.locator('table.backup-jobs tbody tr').first();
      await row.locator('[data-label="Status"]', { hasText: 'Succeeded' }).waitFor();
      expect(await row.textContent()).toContain('root@bk.example');
      const backupId = (await row.locator('[data-label="Backup"] code').textContent())!;
      expect(backupId).toMatch(/-full-/);
      expect(readdirSync(location)).toContain(backupId);

      await page.getByRole('button', { name: 'Show backups' }).click();
      const listed = page.locator('table.backups tbody tr', { hasText: backupId });
      await listed.getByRole('button', { name: 'Verify' }).click();
      const verify = page.locator('table.backup-jobs tbody tr').first();
      await verify.locator('[data-label="Job"]', { hasText: 'Verify' }).waitFor();
      await verify.locator('[data-label="Status"]', { hasText: 'Succeeded' }).waitFor();
      expect(await verify.textContent()).toContain('intact');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the page to system admins only', async () => {
    const { page, close } = await signedIn('boss@bk.example');
    try {
      await page.getByRole('link', { name: 'Users' }).waitFor();
      expect(await page.getByRole('link', { name: 'Backups' }).count()).toBe(0);
    } finally {
      await close();
    }
  });
});
