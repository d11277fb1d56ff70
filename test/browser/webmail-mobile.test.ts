import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, deliverOverSmtp, graphql, launchChromium, screenshot } from './webmail-browser-support.js';

const USER = 'li.lei@phone.example';
const PASSWORD = 'mobile pass 77';

/** Left edge of an element on screen, or null when it is not rendered. */
async function left(page: Page, selector: string): Promise<number | null> {
  return (await page.locator(selector).boundingBox())?.x ?? null;
}

describe.skipIf(browserMissing())('webmail on a phone, in Chinese', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'phone.example');
    await server.cli('user', 'add', USER, '--password', PASSWORD);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    await deliverOverSmtp(server, {
      from: '王芳 <wang.fang@outside.example>',
      to: USER,
      subject: '会议通知',
      text: '明天上午十点在三楼会议室开会。\n请准时参加。',
    });
    await deliverOverSmtp(server, {
      from: 'News <news@outside.example>',
      to: USER,
      subject: 'Weekly digest',
      text: 'Nothing new this week.',
    });
    phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(15_000);
    page = await phone.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('shows the sign-in form in the browser language and signs in', async () => {
    await page.goto(`http://127.0.0.1:${server.ports.http}/`);
    expect(await page.locator('button[type=submit]').textContent()).toBe('登录');
    expect(await page.locator('label[for=login-email]').textContent()).toBe('邮箱地址');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.locator('input[autocomplete=username]').fill(USER);
    await page.locator('input[type=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').tap();
    await page.locator('.message-row', { hasText: '会议通知' }).waitFor();
  });

  it('shows only the list on a phone, folders in a drawer', async () => {
    expect(await page.locator('.reading-pane').isVisible()).toBe(false);
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    const list = await page.locator('.list-pane').boundingBox();
    expect(list?.width).toBeGreaterThan(380);
    await screenshot(page, 'webmail-mobile-list');

    await page.locator('.menu-button').tap();
    await expect.poll(() => left(page, '.sidebar')).toBe(0);
    expect(await page.locator('.folder .folder-name').allTextContents()).toEqual(
      expect.arrayContaining(['收件箱', '草稿箱', '已发送', '已删除']),
    );
    await page.locator('.folder', { hasText: '已发送' }).tap();
    await page.locator('.list-empty', { hasText: '这里没有邮件。' }).waitFor();
    await page.locator('.sidebar').waitFor({ state: 'hidden' });
    await page.locator('.menu-button').tap();
    await page.locator('.folder', { hasText: '收件箱' }).tap();
    await page.locator('.message-row', { hasText: '会议通知' }).waitFor();
  });

  it('goes list → message → back, with the Back button and with browser history', async () => {
    await page.locator('.message-row', { hasText: '会议通知' }).locator('.open-message').tap();
    await expect
      .poll(() => page.frameLocator('iframe.message-body').locator('body').textContent())
      .toContain('明天上午十点在三楼会议室开会。');
    expect(await page.locator('.list-pane').isVisible()).toBe(false);
    expect((await page.locator('.reading-pane').boundingBox())?.width).toBeGreaterThan(380);
    expect(await page.locator('.headers .from').textContent()).toContain('王芳');
    await screenshot(page, 'webmail-mobile-message');

    await page.locator('.message-actions .back').tap();
    await page.locator('.list-pane').waitFor({ state: 'visible' });
    expect(await page.locator('.reading-pane').isVisible()).toBe(false);

    await page.locator('.message-row', { hasText: 'Weekly digest' }).locator('.open-message').tap();
    await page.locator('.reading-pane').waitFor({ state: 'visible' });
    await page.goBack();
    await page.locator('.list-pane').waitFor({ state: 'visible' });
    expect(page.url()).not.toContain('/message/');
  });

  it('composes full screen, saves a draft and discards it', async () => {
    await page.locator('.menu-button').tap();
    await page.locator('.compose-button').tap();
    const compose = await page.locator('.compose').boundingBox();
    expect(compose?.width).toBe(390);
    await page.locator('.compose input[name=to]').fill('wang.fang@outside.example');
    await page.locator('#compose-subject').fill('回复：会议');
    await page.locator('.compose textarea[name=body]').fill('收到，我会准时参加。');
    await page.locator('.compose-footer button', { hasText: '存草稿' }).tap();
    await page.locator('.compose .saved').waitFor();
    await screenshot(page, 'webmail-mobile-compose');
    await page.locator('.compose-footer .discard').tap();
    await page.locator('.compose').waitFor({ state: 'detached' });
    await page.locator('.menu-button').tap();
    await page.locator('.folder', { hasText: '草稿箱' }).tap();
    await page.locator('.list-empty', { hasText: '这里没有邮件。' }).waitFor();
    await page.locator('.menu-button').tap();
    await page.locator('.folder', { hasText: '收件箱' }).tap();
    await page.locator('.message-row', { hasText: '会议通知' }).waitFor();
  });

  it('switches the interface to English and remembers the choice', async () => {
    await page.locator('select[aria-label=语言]').selectOption('en');
    await page.locator('.folder', { hasText: 'Inbox' }).waitFor({ state: 'attached' });
    await page.reload();
    await page.locator('.message-row', { hasText: '会议通知' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('.folder .folder-name').first().textContent()).toBe('Inbox');
  });

  it('returns to the sign-in form with a notice when the session is revoked elsewhere', async () => {
    // The browser holds the token where the page cannot read it; ending it elsewhere is as an app would, by bearer.
    const token = (await page.context().cookies()).find((cookie) => cookie.name === 'mailhive_session')?.value as string;
    await graphql(server, 'mutation { logout }', {}, token);
    await page.reload();
    await page.locator('.login .notice', { hasText: 'Your session has ended. Please sign in again.' }).waitFor();
    expect(await page.evaluate('document.cookie')).not.toContain('mailhive_csrf');
  });
});
