import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { apiLogin, browserMissing, launchChromium, screenshot } from './webmail-browser-support.js';

describe.skipIf(browserMissing())('GraphQL explorer on GET /graphql', { timeout: 90_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'explore.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'eve@explore.example', '--password', 'explorer-pass-1')).code).toBe(0);
    await server.start();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('gives a browser the explorer page with a content security policy, and API clients the API', async () => {
    const base = `http://127.0.0.1:${server.ports.http}/graphql`;
    const page = await fetch(base, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Mailhive GraphQL explorer</title>');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';/);
    const asset = /src="(\/graphiql\/assets\/index-[\w-]+\.js)"/.exec(html)![1]!;
    const script = await fetch(`http://127.0.0.1:${server.ports.http}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`http://127.0.0.1:${server.ports.http}/graphiql/assets/..%2Fpackage.json`)).status).toBe(404);
    const api = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a query in Chromium with the token in its headers, loading nothing from elsewhere', async () => {
    const token = await apiLogin(server, 'eve@explore.example', 'explorer-pass-1');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page: Page = await context.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // Every file the page loads comes from this server (a browser's own favicon request aside).
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(`http://127.0.0.1:${server.ports.http}/`) && !request.url().startsWith('blob:'))
        foreign.push(request.url());
    });
    await page.goto(`http://127.0.0.1:${server.ports.http}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    // The editors load after the page (Monaco, in workers): run only once the query is in its editor.
    await expect.poll(() => page.locator('.graphiql-query-editor').textContent(), { timeout: 30_000 }).toContain('quotaBytes');
    // The first query runs without a session: the API refuses it.
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 30_000 }).toContain('UNAUTHENTICATED');
    // With the token in the Headers tab, the same query answers.
    await page.getByText('Headers', { exact: true }).click();
    await page.locator('.graphiql-editor-tool .monaco-editor').last().click();
    await page.keyboard.type(`{"authorization": "Bearer ${token}"`);
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 30_000 }).toContain('eve@explore.example');
    await screenshot(page, 'graphql-explorer');
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });
});
