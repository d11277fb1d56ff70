import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess, runCli } from '../support/mailhive-process.js';

async function graphql(port: number, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<{ data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] }>;
}

describe('server lifecycle', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
  });

  afterAll(async () => {
    await server.destroy();
  });

  it('reports database and blob store health', async () => {
    const response = await fetch(`http://127.0.0.1:${server.ports.http}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', blobStore: 'ok', bus: 'ok' });
  });

  it('serves Prometheus metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
    expect(text).toMatch(/^# TYPE mailhive_process_cpu_user_seconds_total counter$/m);
    expect(text).toContain('mailhive_connections_total');
  });

  it('creates a user with the CLI while running and logs in over GraphQL', async () => {
    expect((await server.cli('domain', 'add', 'life.example')).code).toBe(0);
    const added = await server.cli('user', 'add', 'ann@life.example', '--password', 'correct horse', '--quota', '2G');
    expect(added).toMatchObject({ code: 0, stdout: 'user ann@life.example added (quota 2G)\n' });

    const wrong = await graphql(server.ports.http, 'mutation { login(email: "ann@life.example", password: "nope nope") { token } }');
    expect(wrong.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');

    const login = await graphql(
      server.ports.http,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt } }',
      { e: 'ann@life.example', p: 'correct horse' },
    );
    const token = login.data?.login.token as string;
    expect(token).toMatch(/^[\w-]{40,}$/);

    const me = await graphql(server.ports.http, '{ me { address role quotaBytes usedBytes } }', {}, token);
    expect(me.data?.me).toEqual({ address: 'ann@life.example', role: 'user', quotaBytes: 2 * 1024 ** 3, usedBytes: 0 });

    const anonymous = await graphql(server.ports.http, '{ me { address } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    expect((await graphql(server.ports.http, 'mutation { logout }', {}, token)).data?.logout).toBe(true);
    const afterLogout = await graphql(server.ports.http, '{ me { address } }', {}, token);
    expect(afterLogout.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers invalid GraphQL with an error code and no stack trace', async () => {
    const response = await graphql(server.ports.http, '{ me { nosuchfield } ');
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(response)).not.toMatch(/at .*\.js/);
  });

  it('refuses a second server on the same data directory', async () => {
    const second = await runCli(['start'], { ...server.env, MAILHIVE_HTTP_PORT: 'off' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^mailhive: another Mailhive \(pid \d+\) is already running on data directory /);
  });

  it('stops on SIGTERM within 10 s and starts again on the same data', async () => {
    const before = Date.now();
    expect(await server.stop()).toBe(0);
    expect(Date.now() - before).toBeLessThan(10_000);
    await server.start();
    const users = await server.cli('user', 'list');
    expect(users.stdout).toContain('ann@life.example');
  });
});

describe('start-up errors', () => {
  it('names the port and its variable when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const server = await MailhiveProcess.create();
    try {
      const result = await runCli(['start'], { ...server.env, MAILHIVE_IMAP_PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`mailhive: cannot open port ${port} (MAILHIVE_IMAP_PORT): address already in use\n`);
    } finally {
      blocker.close();
      await server.destroy();
    }
  });

  it('names the key of an invalid configuration value', async () => {
    const result = await runCli(['start'], { MAILHIVE_POP3_PORT: 'seventy' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('mailhive: MAILHIVE_POP3_PORT: "seventy" is not a port number (0-65535) or "off"\n');
  });
});

describe('logging', () => {
  it('logs JSON lines and never a password or token, even at trace level', async () => {
    const server = await MailhiveProcess.create({ MAILHIVE_LOG_LEVEL: 'trace' });
    try {
      await server.start();
      await server.cli('domain', 'add', 'logs.example');
      await server.cli('user', 'add', 'eve@logs.example', '--password', 'Sup3r-Secret-Pass');
      await graphql(server.ports.http, 'mutation { login(email: "eve@logs.example", password: "Wr0ng-Secret-Pass") { token } }');
      const login = await graphql(
        server.ports.http,
        'mutation { login(email: "eve@logs.example", password: "Sup3r-Secret-Pass") { token } }',
      );
      const token = login.data?.login.token as string;
      await graphql(server.ports.http, '{ me { address } }', {}, token);
      await server.stop();
      const lines = server.logs().trim().split('\n');
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(server.logs()).toContain('eve@logs.example');
      expect(server.logs()).not.toContain('Sup3r-Secret-Pass');
      expect(server.logs()).not.toContain('Wr0ng-Secret-Pass');
      expect(server.logs()).not.toContain(token);
    } finally {
      await server.destroy();
    }
  });
});

describe('start-up summary', () => {
  it('prints a summary for people and pretty log lines with MAILHIVE_LOG_FORMAT=pretty, and warns of a local host name', async () => {
    const server = await MailhiveProcess.create({
      MAILHIVE_LOG_FORMAT: 'pretty',
      MAILHIVE_LOG_LEVEL: 'info',
      MAILHIVE_HOSTNAME: 'localhost',
    });
    try {
      await server.start();
      const { smtp, imap, http } = server.ports;
      const output = server.logs();
      expect(output).toMatch(/^Mailhive \d+\.\d+\.\d+ ready as localhost$/m);
      expect(output).toContain(`  listening: SMTP ${smtp}, `);
      expect(output).toContain(`, IMAP ${imap}, `);
      expect(output).toContain(`  webmail:   http://localhost:${http}/\n`);
      expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  MAILHIVE_HOSTNAME is "localhost"/m);
      expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  Mailhive ready /m);
    } finally {
      await server.destroy();
    }
  });

  it('logs the same facts as JSON in the ready line by default when the output is not a terminal', async () => {
    const server = await MailhiveProcess.create({ MAILHIVE_LOG_LEVEL: 'info' });
    try {
      await server.start();
      const ready = server
        .logs()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.msg === 'Mailhive ready');
      expect(ready).toMatchObject({
        hostname: 'mail.test.example',
        ports: server.ports,
        urls: { webmail: `http://mail.test.example:${server.ports.http}/` },
      });
    } finally {
      await server.destroy();
    }
  });
});

describe('DKIM records at start', () => {
  it('warns for a hosted domain whose DKIM key DNS does not publish, and not for one it does', async () => {
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    const server = await MailhiveProcess.create({ MAILHIVE_LOG_LEVEL: 'info', MAILHIVE_DNS_FIXTURES: fixtures });
    try {
      for (const domain of ['signed.example', 'unsigned.example']) expect((await server.cli('domain', 'add', domain)).code).toBe(0);
      const record = (await server.cli('domain', 'dkim', 'signed.example')).stdout;
      const strings = [...record.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
      writeFileSync(fixtures, JSON.stringify({ 'mailhive._domainkey.signed.example': { TXT: [strings] } }));
      await server.start();
      const warned = async (): Promise<string[]> => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const lines = server
            .logs()
            .trim()
            .split('\n')
            .map((line) => (JSON.parse(line) as { msg: string }).msg)
            .filter((msg) => msg.includes('DKIM'));
          if (lines.length > 0 || Date.now() > deadline) return lines;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      expect(await warned()).toEqual([
        'domain unsigned.example: no DKIM record at mailhive._domainkey.unsigned.example; receivers cannot verify its signed mail. ' +
          'Publish the record printed by: mailhive domain dkim unsigned.example',
      ]);
    } finally {
      await server.destroy();
    }
  });
});

describe('plugin and module selection', () => {
  it('refuses an unknown plugin or module at start with one line', async () => {
    const server = await MailhiveProcess.create();
    try {
      const plugin = await runCli(['start'], { ...server.env, MAILHIVE_PLUGINS: 'no-such-plugin' });
      expect(plugin.code).toBe(1);
      expect(plugin.stderr).toMatch(/^mailhive: MAILHIVE_PLUGINS: cannot load plugin "no-such-plugin": .*\n$/);
      const module = await runCli(['start'], { ...server.env, MAILHIVE_MODULES: 'no-such-module' });
      expect(module.code).toBe(1);
      expect(module.stderr).toMatch(/^mailhive: MAILHIVE_MODULES: unknown module "no-such-module" \(available: .*\)\n$/);
    } finally {
      await server.destroy();
    }
  });
});
