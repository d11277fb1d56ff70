import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { apiLogin, browserMissing, deliverOverSmtp, graphql, launchChromium, screenshot, signIn } from './webmail-browser-support.js';

const ANN = 'ann@prefs.example';
const BEN = 'ben@prefs.example';
const PASSWORD = 'settings in browser 1';

async function save(page: Page): Promise<void> {
  await page.locator('.settings-content button[type=submit]').first().click();
  await page.locator('.settings-content .form-status', { hasText: 'Saved.' }).first().waitFor();
}

describe.skipIf(browserMissing())('webmail settings in the browser', { timeout: 90_000 }, () => {
  let server: MailhiveProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_PLUGINS: 'vacation' });
    await server.cli('domain', 'add', 'prefs.example');
    for (const user of [ANN, BEN]) await server.cli('user', 'add', user, '--password', PASSWORD);
    await server.cli('alias', 'add', 'support@prefs.example', ANN);
    [browser] = await Promise.all([launchChromium(), server.start()]);
    await deliverOverSmtp(server, {
      from: 'Night owl <owl@outside.example>',
      to: ANN,
      subject: 'Sent at 23:30 UTC',
      text: 'late',
      date: new Date('2026-03-01T23:30:00Z'),
    });
    const context = await browser.newContext({
      locale: 'en-GB',
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 860 },
      acceptDownloads: true,
    });
    context.setDefaultTimeout(15_000);
    page = await signIn(context, server, ANN, PASSWORD);
    await page.locator('.message-row', { hasText: 'Sent at 23:30 UTC' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('changes the display name', async () => {
    await page.locator('.settings-button').click();
    await page.locator('#settings-display-name').fill('Ann Lee');
    await save(page);
    expect(await page.locator('.topbar .who').textContent()).toBe('Ann Lee');
  });

  it('adds a signature and gives it to an alias, which compose then sends as', async () => {
    await page.locator('.settings-link', { hasText: 'Signatures' }).click();
    await page.locator('button', { hasText: 'Add a signature' }).click();
    await page.locator('.signature input').fill('Support');
    await page.locator('.signature textarea').fill('-- \nAnn, Support desk');
    await save(page);

    await page.locator('.settings-link', { hasText: 'Sending addresses' }).click();
    const legends = await page.locator('.identity legend').allTextContents();
    expect(legends).toEqual([ANN, 'support@prefs.example']);
    await page.locator('#identity-name-1').fill('Prefs Support');
    await page.locator('#identity-signature-1').selectOption({ label: 'Support' });
    await save(page);
    await screenshot(page, 'webmail-settings-identities');

    await page.locator('.back-to-mail').click();
    await page.locator('.compose-button').click();
    await page.locator('#compose-from').selectOption('support@prefs.example');
    expect(await page.locator('.compose textarea[name=body]').inputValue()).toContain('Ann, Support desk');
    await page.locator('.compose input[name=to]').fill(BEN);
    await page.locator('#compose-subject').fill('From the desk');
    await page.locator('.compose button[type=submit]').click();
    await page.locator('.compose').waitFor({ state: 'detached' });

    const token = await apiLogin(server, BEN, PASSWORD);
    const inbox = (await graphql(server, '{ mailboxes { id path } }', {}, token)).mailboxes.find(
      (box: { path: string }) => box.path === 'INBOX',
    ).id as string;
    await expect
      .poll(async () => {
        const list = await graphql(
          server,
          'query($m: ID!) { messages(mailboxId: $m) { nodes { subject text from { name address } } } }',
          { m: inbox },
          token,
        );
        return list.messages.nodes;
      })
      .toEqual([
        {
          subject: 'From the desk',
          text: expect.stringContaining('Ann, Support desk'),
          from: { name: 'Prefs Support', address: 'support@prefs.example' },
        },
      ]);
  });

  it('shows dates in the chosen time zone, sets the list density and reading pane, and keeps them after a reload', async () => {
    // 23:30 UTC on 1 March is already 2 March in Shanghai.
    expect(await page.locator('.message-row', { hasText: 'Sent at 23:30 UTC' }).locator('time').textContent()).toBe('Mar 1');
    await page.locator('.settings-button').click();
    await page.locator('.settings-link', { hasText: 'Display' }).click();
    await page.locator('#settings-time-zone').selectOption('Asia/Shanghai');
    await page.locator('input[name=density][value=COMPACT]').check();
    await page.locator('input[name=readingPane][value=OFF]').check();
    await save(page);
    await page.locator('.back-to-mail').click();
    const row = page.locator('.message-row', { hasText: 'Sent at 23:30 UTC' });
    await expect.poll(() => row.locator('time').textContent()).toBe('Mar 2');
    expect(await page.locator('.mail').getAttribute('class')).toMatch(/density-compact.*pane-off|pane-off.*density-compact/);
    // Reading pane off: the message opens in place of the list, even on a wide screen.
    expect(await page.locator('.reading-pane').isVisible()).toBe(false);
    await row.locator('.open-message').click();
    await page.locator('.reading-pane .message h2').waitFor();
    expect(await page.locator('.list-pane').isVisible()).toBe(false);
    await page.locator('.message-actions .back').click();

    await page.reload();
    await expect.poll(() => page.locator('.message-row', { hasText: 'Sent at 23:30 UTC' }).locator('time').textContent()).toBe('Mar 2');
    expect(await page.locator('.mail').getAttribute('class')).toContain('density-compact');
  });

  it('groups a thread into one conversation when asked', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({
        from: 'Bo <bo@outside.example>',
        to: ANN,
        subject: 'Trip plan',
        text: 'Shall we go?',
        messageId: '<trip-1@outside.example>',
      });
      await transport.sendMail({
        from: 'Cy <cy@outside.example>',
        to: ANN,
        subject: 'Re: Trip plan',
        text: 'Yes!',
        messageId: '<trip-2@outside.example>',
        inReplyTo: '<trip-1@outside.example>',
        references: ['<trip-1@outside.example>'],
      });
    } finally {
      transport.close();
    }
    await page.locator('.message-row', { hasText: 'Re: Trip plan' }).waitFor();
    expect(await page.locator('.message-row', { hasText: 'Trip plan' }).count()).toBe(2);

    await page.locator('.settings-button').click();
    await page.locator('.settings-link', { hasText: 'Display' }).click();
    await page.locator('input[name=conversationView]').check();
    await save(page);
    await page.locator('.back-to-mail').click();
    await expect.poll(() => page.locator('.message-row', { hasText: 'Trip plan' }).count()).toBe(1);
    const row = page.locator('.message-row', { hasText: 'Re: Trip plan' });
    expect(await row.locator('.conversation-size').textContent()).toBe('2');
    await row.locator('.open-message').click();
    await page.locator('.reading-pane .conversation button', { hasText: 'Bo' }).click();
    await page.locator('.reading-pane .message h2', { hasText: /^Trip plan$/ }).waitFor();
    await page.locator('.message-actions .back').click();
  });

  it('switches the language for every browser of the user', async () => {
    await page.locator('.settings-button').click();
    await page.locator('.settings-link', { hasText: 'Display' }).click();
    await page.locator('#settings-language').selectOption('zh-CN');
    await page.locator('.settings-content button[type=submit]').click();
    await page.locator('.settings-link', { hasText: '个人资料' }).waitFor();
    // Another browser, in English, signs in and gets Chinese from the server.
    const other = await browser.newContext({ locale: 'en-GB' });
    const second = await signIn(other, server, ANN, PASSWORD);
    await second.locator('.folder', { hasText: '收件箱' }).waitFor({ state: 'attached' });
    await other.close();
  });

  it('sets an out-of-office reply through the vacation plugin', async () => {
    await page.locator('.settings-link', { hasText: '自动回复' }).click();
    await page.locator('input[name=enabled]').check();
    await page.locator('#vacation-subject').fill('不在办公室');
    await page.locator('#vacation-body').fill('一月回来。');
    await page.locator('.settings-content button[type=submit]').click();
    await page.locator('.settings-content .form-status', { hasText: '已保存。' }).waitFor();
    const token = await apiLogin(server, ANN, PASSWORD);
    const stored = await graphql(server, 'query { pluginQuery(plugin: "vacation", field: "settings") }', {}, token);
    expect(JSON.parse(stored.pluginQuery)).toMatchObject({ enabled: true, subject: '不在办公室', body: '一月回来。' });
  });

  it('offers the Apple profile and lists the server settings for setting a mail app up by hand', async () => {
    await page.locator('.settings-link', { hasText: '设置邮件应用' }).click();
    await page.locator('.setup-servers tr').first().waitFor();
    const rows = await page
      .locator('.setup-servers tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join(' ')));
    expect(rows).toEqual(
      expect.arrayContaining([
        `mail.test.example ${server.ports.imaps} SSL/TLS`,
        `mail.test.example ${server.ports.imap} STARTTLS`,
        `mail.test.example ${server.ports.submission} STARTTLS`,
      ]),
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.download-profile').click()]);
    expect(download.suggestedFilename()).toBe(`${ANN}.mobileconfig`);
  });

  it('changes the password and signs every other session out', async () => {
    const other = await apiLogin(server, ANN, PASSWORD);
    await page.locator('.settings-link', { hasText: '个人资料' }).click();
    await page.locator('#settings-current-password').fill(PASSWORD);
    await page.locator('#settings-new-password').fill('a brand new pass 2');
    await page.locator('#settings-repeat-password').fill('a brand new pass 2');
    await page.locator('.settings-content button[type=submit]').nth(1).click();
    await page.locator('.settings-content .form-status', { hasText: '密码已修改' }).waitFor();
    await expect(graphql(server, '{ me { id } }', {}, other)).rejects.toThrow(/UNAUTHENTICATED/);
    // This browser's own session goes on.
    await page.locator('.back-to-mail').click();
    await page.locator('.message-row', { hasText: 'Sent at 23:30 UTC' }).waitFor();
  });
});
