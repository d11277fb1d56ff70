import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { apiLogin, browserMissing, graphql, launchChromium, screenshot, signIn } from './webmail-browser-support.js';

const READER = 'bounce.reader@files.example';
const OTHER = 'other@files.example';
const PASSWORD = 'files and sources 9';
const BOUNCE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'eml', 'delivery-status.eml'));

describe.skipIf(browserMissing())('show original, download .eml, print, and a bounce with named parts', { timeout: 90_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let page: Page;
  let messageId: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'files.example');
    for (const user of [READER, OTHER]) await server.cli('user', 'add', user, '--password', PASSWORD);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    const transport = createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ envelope: { from: 'mailer-daemon@mx.outside.example', to: [READER] }, raw: BOUNCE });
    } finally {
      transport.close();
    }
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    page = await signIn(context, server, READER, PASSWORD);
    await page.locator('.message-row', { hasText: 'Undelivered Mail Returned to Sender' }).locator('.open-message').click();
    await page.locator('.reading-pane .message h2').waitFor();
    messageId = decodeURIComponent(/\/message\/([^/]+)$/.exec(page.url())![1]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('lists the parts of a bounce under names that say what they are', async () => {
    expect(await page.locator('.attachments .filename').allTextContents()).toEqual(['delivery-status.txt', 'message.eml']);
    const token = await apiLogin(server, READER, PASSWORD);
    const detail = await graphql(
      server,
      'query($id: ID!) { message(id: $id) { attachments { filename contentType } } }',
      { id: messageId },
      token,
    );
    expect(detail.message.attachments).toEqual([
      { filename: 'delivery-status.txt', contentType: 'message/delivery-status' },
      { filename: 'message.eml', contentType: 'message/rfc822' },
    ]);
  });

  it('shows the original source', async () => {
    await page.locator('.message-actions .show-original').click();
    const source = page.locator('.original-dialog pre.original');
    await source.waitFor();
    const text = await source.textContent();
    // The stored message, with the headers the server added on delivery above the sender's own.
    expect(text).toContain('Subject: Undelivered Mail Returned to Sender');
    expect(text).toContain('Diagnostic-Code: smtp; 550 5.1.1 no such user');
    await screenshot(page, 'webmail-show-original');
    await page.keyboard.press('Escape');
    await page.locator('.original-dialog').waitFor({ state: 'detached' });
  });

  it('downloads the message as an .eml file named after its subject', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.message-actions .download-eml').click()]);
    expect(download.suggestedFilename()).toBe('Undelivered Mail Returned to Sender.eml');
    const saved = readFileSync((await download.path())!);
    // The message as stored, byte for byte: the sender's text below the trace headers the server put on top.
    const token = await apiLogin(server, READER, PASSWORD);
    const url = `http://127.0.0.1:${server.ports.http}/api/webmail/messages/${encodeURIComponent(messageId)}/raw`;
    const stored = Buffer.from(await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
    expect(saved.equals(stored)).toBe(true);
    const lines = (buffer: Buffer) => buffer.toString('utf8').replace(/\r\n/g, '\n');
    expect(lines(saved).endsWith(lines(BOUNCE))).toBe(true);
  });

  it('prints only the message', async () => {
    // The browser's print dialog cannot open headless: count the calls, then look at the page as print renders it.
    await page.evaluate('window.printed = 0; window.print = () => { window.printed += 1; }');
    await page.locator('.message-actions .print').click();
    expect(await page.evaluate('window.printed')).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.list-pane').isVisible()).toBe(false);
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    expect(await page.locator('.message-actions').isVisible()).toBe(false);
    expect(await page.locator('.reading-pane .message h2').isVisible()).toBe(true);
    await screenshot(page, 'webmail-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it("serves the source only to the message's owner", async () => {
    const url = `http://127.0.0.1:${server.ports.http}/api/webmail/messages/${encodeURIComponent(messageId)}/raw`;
    expect((await fetch(url)).status).toBe(401);
    const other = await apiLogin(server, OTHER, PASSWORD);
    expect((await fetch(url, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
    const own = await fetch(url, { headers: { authorization: `Bearer ${await apiLogin(server, READER, PASSWORD)}` } });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('message/rfc822');
    expect(own.headers.get('content-disposition')).toContain('filename="Undelivered Mail Returned to Sender.eml"');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
