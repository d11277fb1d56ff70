import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, launchChromium, screenshot } from './webmail-browser-support.js';

describe.skipIf(browserMissing())('WebAdmin setup wizard in the browser', { timeout: 90_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    const fixtures = join(server.dataDir, 'dns.json');
    writeFileSync(fixtures, JSON.stringify({ 'wizard.example': { MX: [{ exchange: 'mx.wizard.example', priority: 10 }] } }));
    server.env.MAILHIVE_DNS_FIXTURES = fixtures;
    await server.start();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('sets up host name, first domain and admin, shows the DNS records with a check, and opens WebAdmin', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`http://127.0.0.1:${server.ports.http}/admin`);
      await page.getByRole('heading', { name: 'Set up Mailhive' }).waitFor();
      // From loopback no setup token is asked for.
      expect(await page.getByLabel('Setup token').count()).toBe(0);
      await page.getByLabel('Host name of this server').fill('mx.wizard.example');
      await page.getByLabel('First domain').fill('wizard.example');
      await page.getByLabel('Password', { exact: true }).fill('wizard-pass-1');
      await page.getByLabel('Repeat password').fill('wizard-pass-2');
      await page.getByRole('button', { name: 'Set up' }).click();
      await expect.poll(() => page.locator('[role=alert]').textContent()).toBe('The passwords differ.');
      await page.getByLabel('Repeat password').fill('wizard-pass-1');
      await page.getByRole('button', { name: 'Set up' }).click();

      await page.getByRole('heading', { name: 'Mailhive is set up' }).waitFor();
      const mx = page.locator('tr[data-purpose=mx]');
      await expect.poll(() => mx.locator('td').nth(2).textContent()).toBe('10 mx.wizard.example.');
      expect(await page.locator('tr[data-purpose=dkim] td').nth(2).textContent()).toMatch(/^v=DKIM1; k=rsa; p=/);
      expect(await mx.locator('td').nth(3).textContent()).toBe('not checked');
      await page.getByRole('button', { name: 'Check DNS' }).click();
      await expect.poll(() => mx.locator('td').nth(3).textContent()).toBe('found');
      expect(await page.locator('tr[data-purpose=dmarc] td').nth(3).textContent()).toBe('missing');
      await screenshot(page, 'webadmin-setup-dns');

      await page.getByRole('button', { name: 'Continue to WebAdmin' }).click();
      await page.locator('.topbar .who', { hasText: 'postmaster@wizard.example' }).waitFor();

      // A reload keeps the session (cookie), and the wizard does not come back.
      await page.reload();
      await page.locator('.topbar .who', { hasText: 'postmaster@wizard.example' }).waitFor();
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.locator('#email').waitFor();
      expect(await page.getByRole('heading', { name: 'Set up Mailhive' }).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
