import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlClient, smtpDeliver } from '../e2e/graphql-helpers.js';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, launchChromium, screenshot } from './webmail-browser-support.js';

const PASSWORD = 'admin-pass-123';

describe.skipIf(browserMissing())(
  'WebAdmin dashboard, queue, trace, settings and user controls in the browser',
  { timeout: 90_000 },
  () => {
    let server: MailhiveProcess;
    let browser: Browser;
    let root: string;

    const signIn = async (context: BrowserContext, email: string): Promise<Page> => {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${server.ports.http}/admin`);
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.locator('#password').press('Enter');
      await page.locator('.topbar').waitFor();
      return page;
    };

    const withPage = async (email: string, work: (page: Page) => Promise<void>): Promise<void> => {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(20_000);
      try {
        const page = await signIn(context, email);
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(error.message));
        await work(page);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    };

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mailhive-webadmin-pages-'));
      writeFileSync(
        join(dir, 'dns.json'),
        JSON.stringify({ 'slow.test': { MX: [{ exchange: 'mx.slow.test', priority: 10 }] }, 'mx.slow.test': { A: ['127.0.0.2'] } }),
      );
      server = await MailhiveProcess.create({
        MAILHIVE_DNS_FIXTURES: join(dir, 'dns.json'),
        MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
        MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
      });
      expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
      expect((await server.cli('domain', 'add', 'b.example')).code).toBe(0);
      expect((await server.cli('user', 'add', 'root@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
      expect(
        (await server.cli('user', 'add', 'boss@a.example', '--password', PASSWORD, '--role', 'domain-admin', '--domains', 'a.example'))
          .code,
      ).toBe(0);
      for (const user of ['ann@a.example', 'carl@a.example'])
        expect((await server.cli('user', 'add', user, '--password', PASSWORD)).code).toBe(0);
      await server.start();
      browser = await launchChromium();
      root = (await graphqlClient(server)(`mutation { adminLogin(email: "root@a.example", password: "${PASSWORD}") { token } }`)).data
        ?.adminLogin?.token as string;

      await smtpDeliver(
        server,
        [1, 2, 3].map((n) => ({ from: 'x@outside.example', to: 'ann@a.example', subject: `Report ${n}` })),
      );
      await expect(smtpDeliver(server, [{ from: 'x@outside.example', to: 'ghost@a.example', subject: 'Nobody' }])).rejects.toThrow(/550/);
      const submission = nodemailer.createTransport({
        host: '127.0.0.1',
        port: server.ports.submission,
        secure: false,
        requireTLS: true,
        auth: { user: 'ann@a.example', pass: PASSWORD },
        tls: { rejectUnauthorized: false },
      });
      await submission.sendMail({ from: 'ann@a.example', to: 'dave@slow.test', subject: 'Stuck', text: 'hi' });
      submission.close();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.destroy();
    });

    it('shows the dashboard with the real numbers of the SMTP traffic', async () => {
      await withPage('root@a.example', async (page) => {
        await page.getByRole('link', { name: 'Dashboard' }).click();
        const cell = (metric: string) => page.locator(`td[data-metric=${metric}]`).textContent();
        await expect.poll(() => cell('received')).toBe('4');
        expect(await cell('refused')).toBe('1');
        expect(await cell('queue')).toBe('1');
        expect(Number(await cell('logins'))).toBeGreaterThanOrEqual(2);
        expect(await page.locator('figure.chart canvas').count()).toBe(3);
        await expect
          .poll(() => page.getByRole('table', { name: 'Top receivers (30 days)' }).locator('tbody tr').first().textContent())
          .toBe('ann@a.example3');
        expect(
          await page.getByRole('table', { name: 'Storage per domain' }).locator('tbody tr').first().locator('td').first().textContent(),
        ).toBe('a.example');
        await screenshot(page, 'webadmin-dashboard');
      });
    });

    it('shows the queue with details, retries and bounces, and traces a message', async () => {
      await withPage('root@a.example', async (page) => {
        await page.getByRole('link', { name: 'Queue' }).click();
        const row = page.locator('tbody tr', { hasText: 'dave@slow.test' });
        await row.waitFor();
        await row.getByRole('button', { name: /^Details/ }).click();
        await expect.poll(() => page.locator('pre.headers').textContent()).toContain('Subject: Stuck');
        await row.getByRole('button', { name: /^Retry now/ }).click();
        await expect.poll(() => page.locator('.notice[role=status]').textContent()).toBe('Retrying now.');
        await screenshot(page, 'webadmin-queue');
        page.once('dialog', (dialog) => void dialog.accept());
        await page
          .locator('tbody tr', { hasText: 'dave@slow.test' })
          .getByRole('button', { name: /^Bounce/ })
          .click();
        await page.getByText('The queue is empty.').waitFor();

        await page.getByRole('link', { name: 'Message trace' }).click();
        await page.getByLabel('Recipient').fill('dave@slow.test');
        await page.getByRole('button', { name: 'Search' }).click();
        await expect.poll(() => page.locator('tbody tr td:nth-child(2)').allTextContents()).toContain('bounced');
        expect(await page.locator('tbody tr td:nth-child(2)').allTextContents()).toContain('queued');
        await page.getByLabel('Recipient').fill('');
        await page.getByLabel('Subject').fill('Report');
        await page.getByRole('button', { name: 'Search' }).click();
        await expect.poll(() => page.locator('tbody tr[data-event=delivered]').count()).toBe(3);
        await screenshot(page, 'webadmin-trace');
      });
    });

    it('changes run-time settings, shows the environment read-only and the plugins', async () => {
      await withPage('root@a.example', async (page) => {
        await page.getByRole('link', { name: 'Settings' }).click();
        await page.getByRole('textbox', { name: 'SMTP banner text', exact: true }).fill('Example Mail');
        await page.getByRole('spinbutton', { name: 'Messages per user per hour', exact: true }).fill('42');
        await page.getByRole('button', { name: 'Save' }).click();
        await expect.poll(() => page.locator('.notice[role=status]').textContent()).toBe('Saved.');
        await page.reload();
        await expect.poll(() => page.getByRole('textbox', { name: 'SMTP banner text', exact: true }).inputValue()).toBe('Example Mail');
        expect(await page.getByRole('spinbutton', { name: 'Messages per user per hour', exact: true }).inputValue()).toBe('42');
        await page.getByRole('button', { name: 'Reset SMTP banner text' }).click();
        await expect.poll(() => page.getByRole('textbox', { name: 'SMTP banner text', exact: true }).inputValue()).toBe('Mailhive');
        expect(await page.getByRole('table', { name: /^Environment/ }).textContent()).toContain('MAILHIVE_HOSTNAME');
        expect(await page.getByRole('table', { name: 'Plugins' }).locator('td').first().textContent()).toBe('none');
        await screenshot(page, 'webadmin-settings');
      });
    });

    it('sets protocols, expiry and a domain-admin scope, and unlocks a user', async () => {
      const gql = graphqlClient(server);
      for (let attempt = 0; attempt < 5; attempt++)
        await gql(`mutation { login(email: "carl@a.example", password: "wrong-pass-9") { token } }`);
      expect(
        (await gql(`mutation { login(email: "carl@a.example", password: "${PASSWORD}") { token } }`)).errors?.[0]?.extensions?.code,
      ).toBe('LOCKED');
      await withPage('root@a.example', async (page) => {
        await page.locator('#user-search').fill('carl');
        await page.getByRole('button', { name: 'Edit carl@a.example' }).click();
        const editor = page.getByRole('form', { name: 'Edit carl@a.example' });
        await editor.getByRole('button', { name: 'Unlock' }).click();
        await expect.poll(() => editor.locator('.notice[role=status]').textContent()).toBe('Login lockouts lifted.');
        await editor.getByLabel('POP3').uncheck();
        await editor.getByLabel('Account expires on (empty = never)').fill('2031-05-06');
        await editor.getByLabel('Role').selectOption('domain_admin');
        await editor.getByLabel('Administered domains (comma-separated)').fill('a.example, b.example');
        await editor.getByRole('button', { name: 'Save' }).click();
        await page.locator('.content > section > .notice[role=status]').waitFor();
      });
      expect((await gql(`mutation { login(email: "carl@a.example", password: "${PASSWORD}") { token } }`)).data?.login?.token).toBeTruthy();
      const carl = (await gql('{ adminUsers(search: "carl") { users { role adminDomains protocols expiresAt } } }', {}, root)).data
        ?.adminUsers.users[0];
      expect(carl).toEqual({
        role: 'domain_admin',
        adminDomains: ['a.example', 'b.example'],
        protocols: ['smtp', 'imap', 'webmail', 'mobile'],
        expiresAt: '2031-05-06T00:00:00.000Z',
      });
    });

    it(
      'imports 1,000 users from CSV: a bad row stops it all, "skip bad rows" imports the rest with progress',
      { timeout: 420_000 },
      async () => {
        const lines = [
          'address,password,name,quota_mb',
          ...Array.from({ length: 1000 }, (_, index) =>
            index === 500
              ? 'not-an-address,bulk-pass-123,Bad Row,1'
              : `bulk${String(index).padStart(4, '0')}@a.example,bulk-pass-123,"Bulk, ${index}",10`,
          ),
        ];
        const file = { name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n')) };
        await withPage('root@a.example', async (page) => {
          await page.getByRole('button', { name: 'Import users from CSV' }).click();
          const form = page.getByRole('form', { name: 'Import users from CSV' });
          await form.getByLabel('CSV file').setInputFiles(file);
          await form.getByRole('button', { name: 'Import' }).click();
          await expect
            .poll(() => form.locator('.import-result [role=status]').textContent(), { timeout: 60_000 })
            .toBe('Nothing was imported: 1 bad row(s).');
          expect(await form.getByRole('table', { name: 'Rows not imported' }).locator('tbody tr').allTextContents()).toEqual([
            '502not-an-addressnot an email address',
          ]);
          await page.locator('#user-search').fill('bulk');
          await expect.poll(() => page.locator('.pager [role=status]').textContent()).toBe('0–0 of 0');

          await form.getByLabel('Skip bad rows').check();
          await form.getByRole('button', { name: 'Import' }).click();
          await expect
            .poll(() => form.locator('.import-result [role=status]').textContent(), { timeout: 380_000, interval: 1000 })
            .toBe('999 user(s) imported, 1 row(s) skipped.');
          expect([await form.locator('progress').getAttribute('value'), await form.locator('progress').getAttribute('max')]).toEqual([
            '1000',
            '1000',
          ]);
          await expect.poll(() => page.locator('.pager [role=status]').textContent()).toBe('1–25 of 999');
          await screenshot(page, 'webadmin-import');
        });
      },
    );

    it('shows a domain admin neither the server-wide pages nor the role controls', async () => {
      await withPage('boss@a.example', async (page) => {
        const links = await page.locator('.topbar nav a').allTextContents();
        expect(links).toEqual(['Users', 'Domains', 'Audit log']);
        await page.goto(`http://127.0.0.1:${server.ports.http}/admin#/settings`);
        await page.locator('h1', { hasText: 'Users' }).waitFor();
        await page.locator('#user-search').fill('ann');
        await page.getByRole('button', { name: 'Edit ann@a.example' }).click();
        const editor = page.getByRole('form', { name: 'Edit ann@a.example' });
        expect(await editor.getByLabel('Role').count()).toBe(0);
        expect(await editor.getByLabel('POP3').count()).toBe(1);
        await page.getByRole('link', { name: 'Domains' }).click();
        await page.getByRole('button', { name: 'DNS a.example' }).click();
        await page.getByRole('region', { name: 'DNS records of a.example' }).locator('tr[data-purpose=mx]').waitFor();
      });
    });
  },
);
