import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, deliverOverSmtp, launchChromium, screenshot, signIn } from './webmail-browser-support.js';

const USER = 'wide.and.narrow@screens.example';
const PASSWORD = 'every width 360';
const LONG_WORD = 'Supercalifragilistic'.repeat(8);

type Layout = 'phone' | 'tablet' | 'desktop';
const WIDTHS: readonly { width: number; height: number; layout: Layout }[] = [
  { width: 360, height: 740, layout: 'phone' },
  { width: 390, height: 844, layout: 'phone' },
  { width: 768, height: 1024, layout: 'tablet' },
  { width: 1024, height: 768, layout: 'desktop' },
  { width: 1440, height: 900, layout: 'desktop' },
];

/** The page scrolls sideways when the document is wider than the window. */
async function expectNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
  expect(scrollWidth, `${screen}: document ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

async function visible(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().isVisible();
}

/** Whether the element is wholly inside the window. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const size = page.viewportSize();
  if (!box || !size) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

describe.skipIf(browserMissing())('webmail at 360, 390, 768, 1024 and 1440 px', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let page: Page;
  let folder: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'screens.example');
    await server.cli('user', 'add', USER, '--password', PASSWORD);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    await deliverOverSmtp(
      server,
      {
        from: `A sender with a very long display name indeed <${'long.local.part'.repeat(3)}@outside.example>`,
        to: USER,
        subject: `A subject with one unbroken word ${LONG_WORD}`,
        text: `A link nobody can wrap: https://example.com/${LONG_WORD}\n\nAnd a long line ${'word '.repeat(80)}`,
      },
      {
        from: 'Tables <tables@outside.example>',
        to: USER,
        subject: 'A wide HTML table',
        html: `<table width="1400"><tr><td>${LONG_WORD}</td><td>${LONG_WORD}</td></tr></table><pre>${LONG_WORD}${LONG_WORD}</pre>`,
      },
    );
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await signIn(context, server, USER, PASSWORD);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.locator('.message-row', { hasText: 'A wide HTML table' }).waitFor();
    folder = page.url();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  for (const { width, height, layout } of WIDTHS) {
    it(`${width} px (${layout}): list, message, compose and settings fit the width`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(folder);
      await page.locator('.message-row', { hasText: 'A wide HTML table' }).waitFor();

      // The list.
      await expectNoHorizontalScroll(page, 'list');
      expect(await visible(page, '.list-pane')).toBe(true);
      // Phones and tablets keep the folders in a drawer (it slides away, hence a wait).
      await page.locator('.sidebar').waitFor({ state: layout === 'desktop' ? 'visible' : 'hidden' });
      expect(await visible(page, '.reading-pane')).toBe(layout !== 'phone');
      expect(await visible(page, '.fab-compose')).toBe(layout !== 'desktop');
      if (layout !== 'desktop') expect(await inViewport(page, '.fab-compose')).toBe(true);
      await screenshot(page, `webmail-${width}-list`);

      // A message with a long unbroken subject, and one with a table wider than any screen.
      for (const subject of ['A subject with one unbroken word', 'A wide HTML table']) {
        await page.locator('.message-row', { hasText: subject }).locator('.open-message').click();
        await page.locator('.reading-pane .message h2', { hasText: subject }).waitFor();
        await expectNoHorizontalScroll(page, `message "${subject}"`);
        // Phone: one pane at a time; tablet and desktop: the list stays beside the message.
        expect(await visible(page, '.list-pane')).toBe(layout !== 'phone');
        expect(await visible(page, '.message-actions .back')).toBe(layout === 'phone');
        expect(await visible(page, '.fab-compose')).toBe(layout === 'tablet');
        await screenshot(page, `webmail-${width}-message`);
        if (layout === 'phone') {
          await page.locator('.message-actions .back').click();
          await page.locator('.list-pane').waitFor({ state: 'visible' });
        }
      }

      // Compose: on a phone or tablet from the floating button, full screen, Send in view even under a long text.
      await page
        .locator(layout === 'desktop' ? '.compose-button' : '.fab-compose')
        .first()
        .click();
      await page.locator('.compose').waitFor();
      await expectNoHorizontalScroll(page, 'compose');
      await page.locator('.compose textarea[name=body]').fill(Array.from({ length: 80 }, (_, line) => `Line ${line + 1}`).join('\n'));
      await page.locator('.compose textarea[name=body]').press('End');
      expect(await inViewport(page, '.compose button[type=submit]')).toBe(true);
      if (layout === 'phone') {
        const box = await page.locator('.compose').boundingBox();
        expect(box?.width).toBe(width);
        expect(box?.height).toBe(height);
      }
      await expectNoHorizontalScroll(page, 'compose with a long text');
      await screenshot(page, `webmail-${width}-compose`);
      await page.locator('.compose-footer .discard').click();
      await page.locator('.compose').waitFor({ state: 'detached' });

      // Settings: every section.
      await page.locator('.settings-button').click();
      await page.locator('#settings-display-name').waitFor();
      for (const section of ['profile', 'signatures', 'identities', 'display', 'vacation', 'setup']) {
        await page.goto(`${folder.replace(/#.*$/, '')}#/settings/${section}`);
        await page.locator('.settings-content form, .settings-content .notice').first().waitFor();
        await expectNoHorizontalScroll(page, `settings ${section}`);
        expect(await visible(page, '.settings-menu')).toBe(layout !== 'phone');
      }
      await screenshot(page, `webmail-${width}-settings`);
      // A phone shows the section alone: back to the menu of sections, then to the mail.
      if (layout === 'phone') await page.locator('.settings-back').click();
      await page.locator('.back-to-mail').click();
      await page.locator('.list-pane').waitFor();
    });
  }
});
