import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, type GraphqlResult } from './graphql-helpers.js';

const PASSWORD = 'secret-pass-1';
const SETTINGS = 'hostname smtpSendRateLimit smtpGreetingPauseMs smtpBanner overridden environment { variable value }';

/** The first line the SMTP server sends on port 25. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n')) {
        socket.end('QUIT\r\n');
        resolve(text.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
  });
}

describe('WebAdmin run-time settings, environment and plugins', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let root: string;
  let boss: string;

  const update = (input: Record<string, unknown>, token = root) =>
    gql(`mutation($i: AdminSettingsInput!) { adminUpdateSettings(input: $i) { ${SETTINGS} } }`, { i: input }, token);

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_PLUGINS: 'anti-spam', MAILHIVE_METRICS_TOKEN: 'metrics-secret-token' });
    expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@a.example', '--password', PASSWORD)).code).toBe(0);
    expect(
      (await server.cli('user', 'add', 'boss@a.example', '--password', PASSWORD, '--role', 'domain-admin', '--domains', 'a.example')).code,
    ).toBe(0);
    await server.start();
    gql = graphqlClient(server);
    root = (await gql(`mutation { adminLogin(email: "root@a.example", password: "${PASSWORD}") { token } }`)).data?.adminLogin
      ?.token as string;
    boss = (await gql(`mutation { adminLogin(email: "boss@a.example", password: "${PASSWORD}") { token } }`)).data?.adminLogin
      ?.token as string;
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('shows the effective settings and the environment with secrets masked', async () => {
    const settings = (await gql(`{ adminSettings { ${SETTINGS} } }`, {}, root)).data?.adminSettings;
    expect(settings).toMatchObject({
      hostname: 'mail.test.example',
      smtpSendRateLimit: 500,
      smtpGreetingPauseMs: 0,
      smtpBanner: 'Mailhive',
      overridden: [],
    });
    const environment = Object.fromEntries(
      (settings.environment as { variable: string; value: string }[]).map((row) => [row.variable, row.value]),
    );
    expect(environment.MAILHIVE_HOSTNAME).toBe('mail.test.example');
    expect(environment.MAILHIVE_METRICS_TOKEN).toBe('****');
    expect(JSON.stringify(settings)).not.toContain('metrics-secret-token');
  });

  it('applies the banner and the send limit without a restart, and resets them', async () => {
    expect(await greeting(server.ports.smtp)).toBe('220 mail.test.example ESMTP Mailhive');
    const changed = await update({ smtpBanner: 'Welcome to Example Mail', smtpSendRateLimit: 1 });
    expect(changed.data?.adminUpdateSettings).toMatchObject({
      smtpBanner: 'Welcome to Example Mail',
      smtpSendRateLimit: 1,
      overridden: ['smtpSendRateLimit', 'smtpBanner'],
    });
    expect(await greeting(server.ports.smtp)).toBe('220 mail.test.example ESMTP Welcome to Example Mail');

    const submission = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'ann@a.example', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
    });
    try {
      await submission.sendMail({ from: 'ann@a.example', to: 'root@a.example', subject: 'one', text: '1' });
      await expect(submission.sendMail({ from: 'ann@a.example', to: 'root@a.example', subject: 'two', text: '2' })).rejects.toThrow(
        /4\d\d|5\d\d/,
      );
      await update({ smtpSendRateLimit: 100 });
      await submission.sendMail({ from: 'ann@a.example', to: 'root@a.example', subject: 'three', text: '3' });
    } finally {
      submission.close();
    }

    const reset = await update({ reset: ['smtpBanner', 'smtpSendRateLimit'] });
    expect(reset.data?.adminUpdateSettings).toMatchObject({ smtpBanner: 'Mailhive', smtpSendRateLimit: 500, overridden: [] });
    expect(await greeting(server.ports.smtp)).toBe('220 mail.test.example ESMTP Mailhive');
    const audit = await gql('{ auditLog(filter: { action: "settings" }) { entries { action actor } } }', {}, root);
    expect(audit.data?.auditLog.entries).toHaveLength(3);
  });

  it('refuses values that do not fit', async () => {
    for (const input of [
      { smtpBanner: 'two\r\nlines' },
      { smtpBanner: 'x'.repeat(201) },
      { smtpSendRateLimit: 0 },
      { smtpGreetingPauseMs: 600_000 },
      { hostname: 'not a host' },
      { reset: ['nothing'] },
    ]) {
      expect(errorCode(await update(input))).toBe('BAD_USER_INPUT');
    }
  });

  it('lists the loaded plugins and the hooks they handle', async () => {
    const plugins = (await gql('{ adminPlugins { name state hooks { name } } }', {}, root)).data?.adminPlugins;
    expect(plugins.map((plugin: { name: string }) => plugin.name)).toEqual(['anti-spam']);
    expect(plugins[0].state).toBe('enabled');
    expect(plugins[0].hooks.length).toBeGreaterThan(0);
    expect(plugins[0].hooks.every((hook: { name: string }) => /^(smtp|message|queue|account)\./.test(hook.name))).toBe(true);
  });

  it('keeps settings and plugins from domain admins', async () => {
    for (const query of [
      `{ adminSettings { ${SETTINGS} } }`,
      '{ adminPlugins { name } }',
      'mutation { adminUpdateSettings(input: { smtpBanner: "x" }) { smtpBanner } }',
    ]) {
      const refused = await gql(query, {}, boss);
      expect(refused.errors?.[0]).toMatchObject({ message: 'not allowed', extensions: { code: 'FORBIDDEN' } });
      expect(refused.data ?? null).toBeNull();
    }
  });
});
