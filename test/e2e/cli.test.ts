import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess, runCli } from '../support/mailhive-process.js';

// Each command is a process of its own that loads the application: give a test of many commands time.
describe('mailhive CLI on a fresh data directory and database', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
  });

  afterAll(async () => {
    await server.destroy();
  });

  it('migrates an empty database', async () => {
    expect(await server.cli('migrate')).toMatchObject({ code: 0, stdout: 'database schema is up to date\n' });
  });

  it('adds and lists domains, users and aliases', async () => {
    expect(await server.cli('domain', 'add', 'Example.ORG')).toMatchObject({ code: 0, stdout: 'domain example.org added\n' });
    expect(
      await server.cli('user', 'add', 'Ann@example.org', '--password', 'secret-pass', '--quota', '2G', '--name', 'Ann Lee'),
    ).toMatchObject({ code: 0, stdout: 'user ann@example.org added (quota 2G)\n' });
    expect(await server.cli('user', 'add', 'root@example.org', '--password', 'secret-pass', '--admin')).toMatchObject({
      code: 0,
      stdout: 'user root@example.org added (quota unlimited, system admin)\n',
    });
    expect(await server.cli('alias', 'add', 'team@example.org', 'ann@example.org', 'root@example.org')).toMatchObject({
      code: 0,
      stdout: 'alias team@example.org -> ann@example.org, root@example.org added\n',
    });
    expect((await server.cli('domain', 'list')).stdout).toBe('DOMAIN       CATCH-ALL\nexample.org  -\n');
    expect((await server.cli('user', 'list')).stdout).toBe(
      [
        'ADDRESS           ROLE          USED  QUOTA      STATE',
        'ann@example.org   user          0B    2G         enabled',
        'root@example.org  system-admin  0B    unlimited  enabled',
        '',
      ].join('\n'),
    );
    expect((await server.cli('alias', 'list')).stdout).toBe(
      'ALIAS             TARGETS\nteam@example.org  ann@example.org,root@example.org\n',
    );
    expect(await server.cli('user', 'passwd', 'ann@example.org', '--password', 'another-pass')).toMatchObject({ code: 0 });
  });

  it('prints the DNS records to publish for a domain, with the DKIM key it signs with', async () => {
    const printed = await server.cli('domain', 'dns', 'example.org');
    expect(printed.code).toBe(0);
    const lines = printed.stdout.trim().split('\n');
    expect(lines[0]).toBe('example.org. IN MX 10 mail.test.example.');
    expect(lines).toContain('example.org. IN TXT "v=spf1 mx -all"');
    expect(lines).toContain('_imaps._tcp.example.org. IN SRV 0 1 993 mail.test.example.');
    expect(lines.some((line) => line.startsWith('_dmarc.example.org. IN TXT "v=DMARC1; '))).toBe(true);
    const records = JSON.parse((await server.cli('domain', 'dns', 'example.org', '--json')).stdout) as { purpose: string; value: string }[];
    const dkim = (await server.cli('domain', 'dkim', 'example.org')).stdout;
    const published = [...dkim.matchAll(/"([^"]*)"/g)].map((match) => match[1]).join('');
    expect(records.find((record) => record.purpose === 'dkim')?.value).toBe(published);
    expect((await server.cli('domain', 'dns', 'unknown.example')).code).toBe(1);
  });

  it('sets and removes the catch-all of a domain', async () => {
    expect(await server.cli('domain', 'catch-all', 'example.org', 'Team@example.org')).toMatchObject({
      code: 0,
      stdout: 'catch-all of example.org is team@example.org\n',
    });
    expect(JSON.parse((await server.cli('domain', 'list', '--json')).stdout)).toEqual([
      { name: 'example.org', catchAll: 'team@example.org' },
    ]);
    expect(await server.cli('domain', 'catch-all', 'example.org', 'off')).toMatchObject({
      code: 0,
      stdout: 'catch-all of example.org removed\n',
    });
    expect(JSON.parse((await server.cli('domain', 'list', '--json')).stdout)).toEqual([{ name: 'example.org', catchAll: null }]);
  });

  it('drops a catch-all whose user or alias is removed', async () => {
    expect((await server.cli('alias', 'add', 'temp@example.org', 'ann@example.org')).code).toBe(0);
    expect((await server.cli('domain', 'catch-all', 'example.org', 'temp@example.org')).code).toBe(0);
    expect((await server.cli('alias', 'remove', 'temp@example.org')).code).toBe(0);
    expect(JSON.parse((await server.cli('domain', 'list', '--json')).stdout)).toEqual([{ name: 'example.org', catchAll: null }]);
  });

  it.each([
    [
      ['user', 'add', 'bob@unknown.example', '--password', 'secret-pass'],
      1,
      'mailhive: domain unknown.example does not exist (add it with: mailhive domain add unknown.example)\n',
    ],
    [['user', 'add', 'ann@example.org', '--password', 'secret-pass'], 1, 'mailhive: user ann@example.org already exists\n'],
    [['user', 'add', 'carl@example.org', '--password', 'secret-pass', '--quota', 'lots'], 2, /^mailhive: --quota: "lots" is not a size/],
    [['user', 'add', 'carl@example.org', '--password', 'short'], 1, 'mailhive: the password must have at least 8 characters\n'],
    [['user', 'add', 'not-an-address', '--password', 'secret-pass'], 1, 'mailhive: "not-an-address" is not an email address\n'],
    [['user', 'add', 'carl@example.org'], 2, 'mailhive: --password or --password-stdin is required (see mailhive --help)\n'],
    [['domain', 'add', 'bad domain!'], 1, 'mailhive: "bad domain!" is not a domain name\n'],
    [['domain', 'add', 'example.org'], 1, 'mailhive: domain example.org already exists\n'],
    [['domain', 'remove', 'example.org'], 1, 'mailhive: domain example.org still has 2 user(s) and 1 alias(es)\n'],
    [['alias', 'add', 'ann@example.org', 'root@example.org'], 1, 'mailhive: ann@example.org is already a user\n'],
    [['domain', 'catch-all', 'example.org', 'nobody@example.org'], 1, 'mailhive: nobody@example.org is neither a user nor an alias here\n'],
    [
      ['domain', 'catch-all', 'example.org', 'someone@elsewhere.example'],
      1,
      'mailhive: someone@elsewhere.example is neither a user nor an alias here\n',
    ],
    [['domain', 'catch-all', 'unknown.example', 'ann@example.org'], 1, 'mailhive: domain unknown.example does not exist\n'],
    [['domain', 'catch-all', 'example.org'], 2, 'mailhive: expected DOMAIN ADDRESS|off (see mailhive --help)\n'],
    [['user', 'remove', 'nobody@example.org'], 1, 'mailhive: user nobody@example.org does not exist\n'],
    [['frobnicate'], 2, 'mailhive: unknown command "frobnicate" (see mailhive --help)\n'],
  ])('refuses %j with exit code %i', async (args, code, message) => {
    const result = await server.cli(...args);
    expect(result.code).toBe(code);
    if (typeof message === 'string') expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
  });

  it('removes users, aliases and then the empty domain', async () => {
    expect((await server.cli('alias', 'remove', 'team@example.org')).code).toBe(0);
    expect((await server.cli('user', 'remove', 'ann@example.org')).code).toBe(0);
    expect((await server.cli('user', 'remove', 'root@example.org')).code).toBe(0);
    expect(await server.cli('domain', 'remove', 'example.org')).toMatchObject({ code: 0, stdout: 'domain example.org removed\n' });
    expect((await server.cli('domain', 'list')).stdout).toBe('');
  });

  it('prints the effective configuration with secrets masked', async () => {
    const result = await server.cli('config', 'print');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`MAILHIVE_DATA_DIR=${server.dataDir}\n`);
    expect(result.stdout).toContain(`MAILHIVE_IMAP_PORT=${server.env.MAILHIVE_IMAP_PORT}\n`);
    if (server.env.MAILHIVE_DATABASE_URL) expect(result.stdout).toContain(`MAILHIVE_DATABASE_URL=${server.env.MAILHIVE_DATABASE_URL}`);
  });
});

describe('the data directory records its store', { timeout: 120_000 }, () => {
  it('lets a CLI command that is not told the database find the one the server started on, and refuses another', async () => {
    // On SQLite the database is named explicitly too, in a file outside the data directory's default place.
    const sqliteUrl = `sqlite://${mkdtempSync(join(tmpdir(), 'mailhive-store-'))}/elsewhere.sqlite`;
    const server = await MailhiveProcess.create(process.env.MAILHIVE_TEST_DB === 'mariadb' ? {} : { MAILHIVE_DATABASE_URL: sqliteUrl });
    try {
      await server.start();
      expect((await server.cli('domain', 'add', 'store.example')).code).toBe(0);
      expect((await server.cli('user', 'add', 'kept@store.example', '--password', 'secret123')).code).toBe(0);
      const record = join(server.dataDir, 'mailhive.json');
      expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({ MAILHIVE_DATABASE_URL: server.env.MAILHIVE_DATABASE_URL });
      expect(statSync(record).mode & 0o777).toBe(0o600);

      const untold = await runCli(['user', 'list'], { ...server.env, MAILHIVE_DATABASE_URL: undefined });
      expect(untold).toMatchObject({ code: 0, stderr: '' });
      expect(untold.stdout).toContain('kept@store.example');

      const other = await runCli(['user', 'list'], { ...server.env, MAILHIVE_DATABASE_URL: `sqlite://${server.dataDir}/other.sqlite` });
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(
        /^mailhive: MAILHIVE_DATABASE_URL is "sqlite:\/\/.*\/other\.sqlite" here, but this data directory's store is ".*" \(.*mailhive\.json\): unset it, or edit that file/,
      );
    } finally {
      await server.destroy();
    }
  });
});
