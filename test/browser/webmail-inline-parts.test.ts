import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { browserMissing, deliverOverSmtp, launchChromium, signIn } from './webmail-browser-support.js';

const USER = 'reader@inline.example';
const PASSWORD = 'inline parts 77';
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

// What the sender's script would do in our origin: leave a mark where the test can see it.
const PAYLOAD =
  "localStorage.setItem('mailhive.pwned', location.href); window.__pwned = true; if (window.opener) window.opener.__pwned = true;";
const HTML_PART = `<!doctype html><html><body><p>page</p><script>${PAYLOAD}</script></body></html>`;
const SVG_PART =
  `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="${PAYLOAD.replace(/"/g, '&quot;')}">` +
  `<script>${PAYLOAD}</script><rect width="10" height="10"/></svg>`;

const RASTER = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif', 'image/x-icon'];

// Records the type of every Blob the page turns into a URL, before any of the client's code runs.
const RECORD_BLOB_TYPES = `(() => {
  const original = URL.createObjectURL.bind(URL);
  window.__blobTypes = [];
  URL.createObjectURL = (object) => { window.__blobTypes.push(object && object.type); return original(object); };
})();`;

/** Every blob: URL in the page and in the message frame, wherever it sits (src, href, any attribute). */
const BLOB_URLS_IN_DOCUMENTS = `(() => {
  const documents = [document, ...Array.from(document.querySelectorAll('iframe')).map((frame) => frame.contentDocument).filter(Boolean)];
  return documents.flatMap((doc) => Array.from(doc.querySelectorAll('*')).flatMap((element) =>
    Array.from(element.attributes).map((attribute) => attribute.value).filter((value) => value.startsWith('blob:'))));
})()`;

describe.skipIf(browserMissing())('webmail inline (cid:) parts', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'inline.example');
    await server.cli('user', 'add', USER, '--password', PASSWORD);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    await deliverOverSmtp(server, {
      from: 'Mallory <mallory@outside.example>',
      to: USER,
      subject: 'Inline trap',
      html:
        '<p>Look:</p><img src="cid:page@outside.example" alt="page"><img src="cid:drawing@outside.example" alt="drawing">' +
        '<img src="cid:logo@outside.example" alt="logo">',
      attachments: [
        { filename: 'page.html', content: Buffer.from(HTML_PART), contentType: 'text/html', cid: 'page@outside.example' },
        { filename: 'drawing.svg', content: Buffer.from(SVG_PART), contentType: 'image/svg+xml', cid: 'drawing@outside.example' },
        { filename: 'logo.png', content: Buffer.from(PIXEL_PNG, 'base64'), contentType: 'image/png', cid: 'logo@outside.example' },
      ],
    });
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    await context.addInitScript(RECORD_BLOB_TYPES);
    page = await signIn(context, server, USER, PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('shows a raster inline image, and turns no HTML or SVG part into a URL of our origin', async () => {
    await page.locator('.message-row', { hasText: 'Inline trap' }).locator('.open-message').click();
    const logo = page.frameLocator('iframe.message-body').locator('img[alt=logo]');
    await expect.poll(() => logo.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => logo.evaluate((image: any) => image.naturalWidth as number)).toBe(1);

    // A reader who opens an inline image in a tab of its own gets an image, never the sender's page.
    const urls = (await page.evaluate(BLOB_URLS_IN_DOCUMENTS)) as string[];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      const tab = await context.newPage();
      await tab.goto(url);
      const shownAs = await tab.evaluate('document.contentType');
      await tab.close();
      expect(await page.evaluate("[window.__pwned, localStorage.getItem('mailhive.pwned')]")).toEqual([undefined, null]);
      expect(RASTER).toContain(shownAs);
    }
    expect(await page.evaluate("[window.__pwned, localStorage.getItem('mailhive.pwned')]")).toEqual([undefined, null]);

    const types = (await page.evaluate('window.__blobTypes')) as string[];
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(RASTER).toContain(type);
    // The HTML and SVG parts are offered as attachments instead.
    await expect.poll(() => page.locator('.attachments .filename').allTextContents()).toEqual(['page.html', 'drawing.svg']);
  });

  it('downloads an SVG part as opaque bytes, not as a page of our origin', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.attachments button', { hasText: 'drawing.svg' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('drawing.svg');
    const types = (await page.evaluate('window.__blobTypes')) as string[];
    expect(types.at(-1)).toBe('application/octet-stream');
    expect(types).not.toContain('image/svg+xml');
    expect(types).not.toContain('text/html');
    expect(await page.evaluate("[window.__pwned, localStorage.getItem('mailhive.pwned')]")).toEqual([undefined, null]);
  });
});
