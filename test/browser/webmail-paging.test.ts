import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, deliverOverSmtp, launchChromium, signIn } from './webmail-browser-support.js';

const USER = 'pager@pages.example';
const PASSWORD = 'many messages 52';
const COUNT = 52;

const subjects = (page: Page) => page.locator('.message-row .subject').allTextContents();
const bare = (list: string[]) => list.map((subject) => subject.replace(/^Unread: /, ''));

describe.skipIf(browserMissing())('webmail paging and sorting a longer folder', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'pages.example');
    await server.cli('user', 'add', USER, '--password', PASSWORD);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    const start = Date.UTC(2026, 0, 1, 8, 0);
    await deliverOverSmtp(
      server,
      ...Array.from({ length: COUNT }, (_, index) => ({
        from: 'Sender <sender@outside.example>',
        to: USER,
        subject: `Message ${String(index + 1).padStart(2, '0')}`,
        text: `Body ${index + 1}`,
        date: new Date(start + index * 60_000),
      })),
    );
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    page = await signIn(context, server, USER, PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('shows 50 messages a page, newest first, and pages on with the cursor', async () => {
    await expect.poll(() => page.locator('.message-row').count()).toBe(50);
    expect(await page.locator('.pager .range').textContent()).toBe(`1–50 of ${COUNT}`);
    expect(bare(await subjects(page)).slice(0, 2)).toEqual(['Message 52', 'Message 51']);
    expect(await page.locator('.folder.current .count').textContent()).toBe(String(COUNT));

    await page.locator('.pager button[aria-label=Older]').click();
    await expect.poll(async () => bare(await subjects(page))).toEqual(['Message 02', 'Message 01']);
    expect(await page.locator('.pager .range').textContent()).toBe(`51–${COUNT} of ${COUNT}`);
    expect(await page.locator('.pager button[aria-label=Older]').isDisabled()).toBe(true);
    await page.locator('.pager button[aria-label=Newer]').click();
    await expect.poll(async () => bare(await subjects(page))[0]).toBe('Message 52');
  });

  it('sorts oldest first, selects a whole page and marks it read', async () => {
    await page.locator('select[aria-label=Sort]').selectOption('DATE_ASC');
    await expect.poll(async () => bare(await subjects(page)).slice(0, 2)).toEqual(['Message 01', 'Message 02']);
    await page.locator('.list-toolbar input[aria-label="Select all"]').check();
    expect(await page.locator('.selected-count').textContent()).toBe('50 selected');
    await page.locator('.list-toolbar button', { hasText: 'Mark read' }).click();
    await expect.poll(() => page.locator('.folder.current .count').textContent()).toBe(String(COUNT - 50));
    expect(await page.locator('.message-row.unread').count()).toBe(0);
  });
});
