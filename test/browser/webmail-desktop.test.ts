import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { deliverOverSmtp, browserMissing, launchChromium, screenshot, signIn } from './webmail-browser-support.js';

const ALICE = 'alice@desk.example';
const BOB = 'bob@desk.example';
const PASSWORD = 'correct horse 42';

// A hostile message: script, event handler, javascript: link, a remote tracking image, and an attachment.
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const HOSTILE_HTML = `<p>Quarterly <b>numbers</b> attached.</p>
<script>window.top.document.title = 'PWNED'; window.top.__pwned = true;</script>
<img src="x" onerror="window.top.__pwned = true">
<a href="javascript:window.top.__pwned = true">click</a>
<p><img src="http://127.0.0.1:9/tracker.png" alt="tracker"></p>`;

// Generous limits: these steps take about a second each, but CI machines may be busy with other suites.
describe.skipIf(browserMissing())('webmail in a desktop browser', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let alice: BrowserContext;
  let bob: BrowserContext;
  let page: Page;
  let bobPage: Page;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'desk.example');
    await Promise.all([server.cli('user', 'add', ALICE, '--password', PASSWORD), server.cli('user', 'add', BOB, '--password', PASSWORD)]);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    await deliverOverSmtp(server, {
      from: 'Carol Outside <carol@outside.example>',
      to: ALICE,
      subject: 'Q3 report',
      html: HOSTILE_HTML,
      attachments: [{ filename: 'q3.csv', content: Buffer.from('quarter,revenue\nQ3,42\n'), contentType: 'text/csv' }],
    });
    alice = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    bob = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    // Fail a step in seconds, not at the test timeout.
    alice.setDefaultTimeout(15_000);
    bob.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('signs in with standard form fields and lists the message delivered over SMTP', async () => {
    const login = await alice.newPage();
    await login.goto(`http://127.0.0.1:${server.ports.http}/`);
    expect(await login.locator('input[name=email]').getAttribute('type')).toBe('email');
    expect(await login.locator('input[name=email]').getAttribute('autocomplete')).toBe('username');
    expect(await login.locator('input[name=password]').getAttribute('autocomplete')).toBe('current-password');
    await login.locator('input[name=email]').fill(ALICE);
    await login.locator('input[name=password]').fill('wrong password');
    await login.locator('button[type=submit]').click();
    await expect.poll(() => login.locator('[role=alert]').textContent()).toContain('Wrong email address or password');
    await login.close();

    page = await signIn(alice, server, ALICE, PASSWORD);
    const row = page.locator('.message-row', { hasText: 'Q3 report' });
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('unread');
    expect(await row.locator('.sender').textContent()).toBe('Carol Outside');
    expect(await row.locator('.attachment-mark').count()).toBe(1);
    expect(await row.locator('.preview').textContent()).toContain('Quarterly numbers');
    // Special folders first, with the unread count.
    const folders = await page.locator('.folder .folder-name').allTextContents();
    expect(folders[0]).toBe('Inbox');
    expect(await page.locator('.folder.current .count').textContent()).toBe('1');
    expect(await page.title()).toBe('(1) Mailhive');
    await screenshot(page, 'webmail-inbox');
  });

  it('shows the inbox of a kept session quickly, with an empty cache and after a reload', async () => {
    // A fresh browser profile (nothing cached) that holds the session cookies, as after closing and reopening the browser.
    const cold = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    await cold.addCookies(await alice.cookies());
    const fresh = await cold.newPage();
    let started = Date.now();
    await fresh.goto(`http://127.0.0.1:${server.ports.http}/`);
    await fresh.locator('.message-row', { hasText: 'Q3 report' }).waitFor();
    const coldMs = Date.now() - started;
    await cold.close();

    started = Date.now();
    await page.reload();
    await page.locator('.message-row', { hasText: 'Q3 report' }).waitFor();
    const warmMs = Date.now() - started;
    console.log(`webmail: inbox shown ${coldMs} ms after navigation with an empty cache, ${warmMs} ms after a reload`);
    // The target is under 1 s (≈0.5 s measured on a quiet machine); the bound leaves room for a loaded CI machine.
    expect(coldMs).toBeLessThan(2500);
    expect(warmMs).toBeLessThan(2500);
  });

  it('shows the message in a sandboxed frame where its scripts do not run, remote images only when allowed', async () => {
    await page.locator('.message-row', { hasText: 'Q3 report' }).locator('.open-message').click();
    const frame = page.locator('iframe.message-body');
    await frame.waitFor();
    const sandbox = (await frame.getAttribute('sandbox')) ?? '';
    expect(sandbox).not.toContain('allow-scripts');
    const body = page.frameLocator('iframe.message-body').locator('body');
    await expect.poll(() => body.textContent()).toContain('Quarterly numbers attached.');
    expect(await page.frameLocator('iframe.message-body').locator('script').count()).toBe(0);
    expect(await page.evaluate('window.__pwned === undefined && document.title !== "PWNED"')).toBe(true);
    // The frame's own policy forbids scripts even if one got through.
    expect(await frame.getAttribute('srcdoc')).toContain("default-src 'none'");

    // Remote images are held back until the user asks.
    const tracker = page.frameLocator('iframe.message-body').locator('img[alt=tracker]');
    expect(await tracker.getAttribute('src')).toBeNull();
    await screenshot(page, 'webmail-reading-pane');
    await page.locator('.remote-images button').click();
    await expect
      .poll(() => page.frameLocator('iframe.message-body').locator('img[alt=tracker]').getAttribute('src'))
      .toBe('http://127.0.0.1:9/tracker.png');
    expect(await page.locator('.remote-images').count()).toBe(0);

    await expect.poll(() => page.locator('.attachments .filename').allTextContents()).toEqual(['q3.csv']);
    // Opening marked it read: the row and the folder count follow.
    await expect.poll(() => page.locator('.message-row', { hasText: 'Q3 report' }).getAttribute('class')).toContain(' read');
    await expect.poll(() => page.locator('.folder.current .count').count()).toBe(0);
    expect(await page.evaluate('window.__pwned === undefined && document.title === "Mailhive"')).toBe(true);
  });

  it('composes with an attachment to another local user, who sees it arrive live and downloads it', async () => {
    bobPage = await signIn(bob, server, BOB, PASSWORD);
    await bobPage.locator('.list-empty').waitFor();

    await page.locator('.compose-button').click();
    await page.locator('.compose input[name=to]').fill(BOB);
    await page.locator('#compose-subject').fill('Lunch plan');
    await page.locator('.compose textarea[name=body]').fill('Noodles at noon?\nAlice');
    await page
      .locator('.compose input[type=file]')
      .setInputFiles({ name: 'menu.txt', mimeType: 'text/plain', buffer: Buffer.from('noodles 12\ndumplings 9\n') });
    await page.locator('.compose-attachments progress').waitFor({ state: 'attached' });
    await page.locator('.compose button[type=submit]:not([disabled])').click();
    await page.locator('.toast', { hasText: 'Message sent.' }).waitFor();
    expect(await page.locator('.compose').count()).toBe(0);

    // Bob did not reload: the subscription brought it.
    const row = bobPage.locator('.message-row', { hasText: 'Lunch plan' });
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => bobPage.locator('.folder.current .count').textContent()).toBe('1');
    await row.locator('.open-message').click();
    await expect.poll(() => bobPage.frameLocator('iframe.message-body').locator('body').textContent()).toContain('Noodles at noon?');
    const download = bobPage.waitForEvent('download');
    await bobPage.locator('.attachments button', { hasText: 'menu.txt' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('menu.txt');
    expect(await readFile(await file.path(), 'utf8')).toBe('noodles 12\ndumplings 9\n');

    // The copy in Alice's Sent folder.
    await page.locator('.folder', { hasText: 'Sent' }).click();
    await page.locator('.message-row', { hasText: 'Lunch plan' }).waitFor();
    expect(await page.locator('.message-row .sender').first().textContent()).toContain(BOB);
  });

  it('replies, and the reply reaches the sender live with the original marked answered', async () => {
    await bobPage.locator('.message-actions button', { hasText: /^↩ Reply$/ }).click();
    await expect.poll(() => bobPage.locator('.compose input[name=to]').inputValue()).toBe(ALICE);
    expect(await bobPage.locator('#compose-subject').inputValue()).toBe('Re: Lunch plan');
    expect(await bobPage.locator('.compose textarea[name=body]').inputValue()).toContain('> Noodles at noon?');
    await bobPage.locator('.compose textarea[name=body]').press('Home');
    await bobPage.locator('.compose textarea[name=body]').pressSequentially('Yes! ');
    await bobPage.locator('.compose button[type=submit]').click();
    await bobPage.locator('.toast', { hasText: 'Message sent.' }).waitFor();
    await expect.poll(() => bobPage.locator('.message-row', { hasText: 'Lunch plan' }).locator('.marks').textContent()).toContain('↩');

    await page.locator('.folder', { hasText: 'Inbox' }).click();
    await page.locator('.message-row', { hasText: 'Re: Lunch plan' }).waitFor({ timeout: 10_000 });
  });

  it('searches with the query syntax', async () => {
    const search = page.locator('input[type=search]');
    await search.fill('from:bob');
    await search.press('Enter');
    await expect.poll(() => page.locator('.message-row .subject').allTextContents()).toEqual([expect.stringMatching(/Re: Lunch plan$/)]);
    await search.fill('no-such-words-anywhere');
    await search.press('Enter');
    await page.locator('.list-empty', { hasText: 'No messages match this search.' }).waitFor();
    await page.locator('.search-state button').click();
    await expect.poll(() => page.locator('.message-row').count()).toBe(2);
  });

  it('creates a folder, moves a message there, and deletes it with the keyboard', async () => {
    page.once('dialog', (dialog) => void dialog.accept('Projects'));
    await page.locator('.folder-actions button', { hasText: 'New folder' }).click();
    await page.locator('.folder', { hasText: 'Projects' }).waitFor();

    const row = page.locator('.message-row', { hasText: 'Q3 report' });
    await row.locator('input[type=checkbox]').check();
    await page.locator('.list-toolbar select[aria-label="Move to…"]').selectOption({ label: 'Projects' });
    await page.locator('.toast', { hasText: 'Moved 1 message.' }).waitFor();
    await expect.poll(() => page.locator('.message-row', { hasText: 'Q3 report' }).count()).toBe(0);

    await page.locator('.folder', { hasText: 'Projects' }).click();
    await page.locator('.message-row', { hasText: 'Q3 report' }).locator('.open-message').click();
    await page.locator('iframe.message-body').waitFor();
    await page.locator('body').press('#');
    await page.locator('.toast', { hasText: 'Deleted 1 message.' }).waitFor();
    await page.locator('.list-empty').waitFor();
    await page.locator('.folder', { hasText: 'Trash' }).click();
    await page.locator('.message-row', { hasText: 'Q3 report' }).waitFor();
  });

  it('is usable with the keyboard: help, compose in rich text, send with Ctrl+Enter, walk and flag messages', async () => {
    await page.locator('body').press('?');
    await page.locator('[role=dialog]', { hasText: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[role=dialog]').waitFor({ state: 'detached' });

    await page.locator('body').press('c');
    const to = page.locator('.compose input[name=to]');
    await expect.poll(() => to.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    // Bob is a known correspondent by now: two letters and the suggestion completes the address.
    await page.keyboard.type('bo');
    await page.locator('.suggestions li', { hasText: BOB }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => to.inputValue()).toBe(`${BOB}, `);
    await page.locator('#compose-subject').fill('Formatted');
    await page.locator('.editor-bar button', { hasText: 'Rich text' }).click();
    const editor = page.locator('.editor.rich');
    await editor.click();
    await page.keyboard.type('Plain and ');
    await page.locator('.format button[aria-label=Bold]').click();
    await page.keyboard.type('bold');
    await screenshot(page, 'webmail-compose');
    await editor.press('Control+Enter');
    await page.locator('.toast', { hasText: 'Message sent.' }).waitFor();

    const row = bobPage.locator('.message-row', { hasText: 'Formatted' });
    await row.waitFor({ timeout: 10_000 });
    await bobPage.locator('body').press('u');
    await bobPage.locator('.pane-empty').waitFor();
    await bobPage.locator('body').press('k');
    await bobPage.locator('body').press('o');
    await expect.poll(() => bobPage.frameLocator('iframe.message-body').locator('b').textContent()).toBe('bold');
    expect(await bobPage.frameLocator('iframe.message-body').locator('body').textContent()).toContain('Plain and bold');
    await bobPage.locator('body').press('s');
    await expect.poll(() => row.locator('.star').getAttribute('aria-pressed')).toBe('true');
    await bobPage.locator('body').press('Shift+U');
    await expect.poll(() => row.getAttribute('class')).toContain('unread');
  });

  it('drags a message to a folder, renames and deletes the folder, and empties Trash', async () => {
    await page.locator('.folder', { hasText: 'Inbox' }).click();
    await page.locator('.message-row', { hasText: 'Re: Lunch plan' }).dragTo(page.locator('.folder', { hasText: 'Projects' }));
    await page.locator('.toast', { hasText: 'Moved 1 message.' }).waitFor();
    await page.locator('.folder', { hasText: 'Projects' }).click();
    await page.locator('.message-row', { hasText: 'Re: Lunch plan' }).waitFor();

    page.once('dialog', (dialog) => void dialog.accept('Projects 2026'));
    await page.locator('.folder-actions button', { hasText: 'Rename' }).click();
    await page.locator('.folder', { hasText: 'Projects 2026' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.folder-actions button', { hasText: 'Delete folder' }).click();
    await page.locator('.folder', { hasText: 'Projects' }).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.folder.current .folder-name').textContent()).toBe('Inbox');

    await page.locator('.folder', { hasText: 'Trash' }).click();
    await page.locator('.message-row').first().waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.folder-actions button', { hasText: 'Empty Trash' }).click();
    await page.locator('.list-empty', { hasText: 'No messages here.' }).waitFor();
  });

  it('shows inline images, forwards with the attachments, and saves the draft automatically', async () => {
    await page.locator('.folder', { hasText: 'Inbox' }).click();
    await deliverOverSmtp(server, {
      from: 'Design <design@outside.example>',
      to: ALICE,
      subject: 'New logo',
      html: '<p>Our logo:</p><img src="cid:logo@outside.example" alt="logo">',
      attachments: [
        { filename: 'logo.png', content: Buffer.from(PIXEL_PNG, 'base64'), contentType: 'image/png', cid: 'logo@outside.example' },
      ],
    });
    await page.locator('.message-row', { hasText: 'New logo' }).locator('.open-message').click({ timeout: 10_000 });
    const logo = page.frameLocator('iframe.message-body').locator('img[alt=logo]');
    await expect.poll(() => logo.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => logo.evaluate((image: any) => image.naturalWidth as number)).toBe(1);

    await page.locator('.message-actions button', { hasText: 'Forward' }).click();
    await expect.poll(() => page.locator('#compose-subject').inputValue()).toBe('Fwd: New logo');
    expect(await page.locator('.compose textarea[name=body]').inputValue()).toContain('---------- Forwarded message ----------');
    await page.locator('.compose-attachments li', { hasText: 'logo.png' }).waitFor();
    await page.locator('.compose input[name=to]').fill(BOB);
    // No save button pressed: the draft is saved a few seconds after the last change.
    await page.locator('.compose .saved').waitFor({ timeout: 12_000 });
    await page.locator('.compose-header button[aria-label=Close]').click();
    await page.locator('.folder', { hasText: 'Drafts' }).click();
    await page.locator('.message-row', { hasText: 'Fwd: New logo' }).locator('.open-message').click();
    await page.locator('.message-actions button', { hasText: 'Edit' }).click();
    await expect.poll(() => page.locator('.compose input[name=to]').inputValue()).toBe(BOB);
    await page.locator('.compose-attachments li', { hasText: 'logo.png' }).waitFor();
    await page.locator('.compose button[type=submit]:not([disabled])').click();
    await page.locator('.toast', { hasText: 'Message sent.' }).waitFor();
    // Sending removed the draft, and the pane that showed it.
    await page.locator('.list-empty', { hasText: 'No messages here.' }).waitFor();
    await page.locator('.pane-empty').waitFor();

    const row = bobPage.locator('.message-row', { hasText: 'Fwd: New logo' });
    await row.waitFor({ timeout: 10_000 });
    await row.locator('.open-message').click();
    await expect.poll(() => bobPage.locator('.attachments .filename').allTextContents()).toEqual(['logo.png']);
    await screenshot(page, 'webmail-drafts');
  });

  it('keeps the session across reloads until the user signs out', async () => {
    await page.reload();
    await page.locator('.folders').waitFor();
    await page.locator('.account button', { hasText: 'Sign out' }).click();
    await page.locator('input[autocomplete=username]').waitFor();
    await page.reload();
    await page.locator('input[autocomplete=username]').waitFor();
    expect((await alice.cookies()).map((cookie) => cookie.name)).not.toContain('mailhive_session');
    expect(await page.locator('.folders').count()).toBe(0);
  });
});
