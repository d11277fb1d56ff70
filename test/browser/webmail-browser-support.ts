import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { MailhiveProcess } from '../support/mailhive-process.js';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser suite can run. Outside CI a machine without Debian's chromium skips it with one clear line;
 * in CI (.ci/run installs chromium) its absence is a failure, not a silent skip.
 */
export function browserMissing(): boolean {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);
  console.warn(`webmail browser tests skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
  return true;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

/** Screenshots kept as test artefacts (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

export async function graphql(
  server: MailhiveProcess,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<Record<string, any>> {
  const response = await fetch(`http://127.0.0.1:${server.ports.http}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data ?? {};
}

export async function apiLogin(server: MailhiveProcess, email: string, password: string): Promise<string> {
  const data = await graphql(server, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: email,
    p: password,
  });
  return data.login.token as string;
}

export interface IncomingMessage {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  date?: Date;
  attachments?: { filename: string; content: Buffer; contentType?: string; cid?: string }[];
}

/** Delivers over the server's SMTP (MX) port, as mail from outside arrives; several messages on one connection. */
export async function deliverOverSmtp(server: MailhiveProcess, ...messages: IncomingMessage[]): Promise<void> {
  const transport = createTransport({
    host: '127.0.0.1',
    port: server.ports.smtp,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxMessages: Infinity,
  });
  try {
    for (const message of messages) await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

/** Signs in through the form, as a user (or a password manager) would. */
export async function signIn(context: BrowserContext, server: MailhiveProcess, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
  await page.goto(`http://127.0.0.1:${server.ports.http}/`);
  try {
    await page.locator('input[autocomplete=username]').waitFor();
  } catch (error) {
    const body = await page
      .locator('body')
      .innerHTML()
      .catch(() => '?');
    throw new Error(`no sign-in form at ${page.url()}: ${body.slice(0, 300)} ${problems.join('; ')}`, { cause: error });
  }
  await page.locator('input[autocomplete=username]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
  // Either the mail view or the form's error, so a refused sign-in fails with its reason.
  await page.locator('.folders, .login [role=alert]').first().waitFor();
  const alert = page.locator('.login [role=alert]');
  if ((await alert.count()) > 0) throw new Error(`sign-in as ${email} refused: ${await alert.textContent()}`);
  return page;
}
