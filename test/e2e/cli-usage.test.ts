import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/config.loader.js';
import { closeDataSources, openDataSources } from '../../core/store/data-source.factory.js';
import { verifyPassword } from '../../core/accounts/password-hash.js';
import { AccountEntity } from '../../core/store/entities/account.entity.js';
import { AliasEntity } from '../../core/store/entities/alias.entity.js';
import { DomainEntity } from '../../core/store/entities/domain.entity.js';
import { MAILHIVE_BIN, MailhiveProcess, runCli, type CliResult } from '../support/mailhive-process.js';
import { SmtpWire } from './smtp-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STACK_LINE = /^\s+at /m;

/** The CLI with `input` on its standard input (runCli gives it none). */
function cliWithInput(server: MailhiveProcess, input: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAILHIVE_BIN, ...args], {
      env: { ...process.env, ...server.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** An error of the CLI: the exit code, exactly one line on stderr, nothing on stdout, no stack trace. */
function expectOneLine(result: CliResult, code: number, message: string | RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stderr.split('\n')).toHaveLength(2);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stdout).toBe('');
  if (typeof message === 'string') expect(result.stderr).toBe(`${message}\n`);
  else expect(result.stderr).toMatch(message);
}

describe('mailhive CLI: help, usage errors, passwords on stdin, alias loops', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'loop.example')).code).toBe(0);
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('prints its usage for --help, and README\'s "Command line" block is that usage', async () => {
    const help = await server.cli('--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['start', 'domain dkim', 'queue list', 'user add', 'alias add'])
      expect(help.stdout).toContain(`mailhive ${command} `);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /## Command line\n\n```\n([\s\S]*?)```\n/.exec(readme)?.[1];
    expect(block).toBe(help.stdout);
  });

  it('prints the version of package.json for --version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await server.cli('--version')).toMatchObject({ code: 0, stdout: `mailhive ${version}\n`, stderr: '' });
  });

  it.each([
    [
      ['user', '--help'],
      ['mailhive user add ', 'mailhive user list ', 'mailhive user passwd ', 'mailhive user remove '],
    ],
    [['user', 'add', '--help'], ['mailhive user add ADDRESS [--password P | --password-stdin]']],
    [['domain', 'dkim', '--help'], ['mailhive domain dkim DOMAIN']],
    [['queue', 'retry', '-h'], ['mailhive queue retry ID']],
    [['start', '--help'], ['mailhive start ']],
    [
      ['help', 'alias'],
      ['mailhive alias add ', 'mailhive alias list ', 'mailhive alias remove '],
    ],
  ])('prints the usage of %j', async (args, lines) => {
    const result = await server.cli(...args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    for (const line of lines) expect(result.stdout).toContain(line);
    expect(result.stdout).not.toContain('mailhive migrate');
  });

  it.each([
    [['user', 'add', 'ann@loop.example', '--password'], 'mailhive: --password needs a value (see mailhive --help)'],
    [
      ['user', 'add', 'ann@loop.example', '--password', 'secret-pass', '--quota', '-5'],
      /^mailhive: --quota needs a value \(write --quota=VALUE/,
    ],
    [['user', 'add', 'ann@loop.example', '--password', 'secret-pass', '--quota=-5'], /^mailhive: --quota: "-5" is not a size/],
    [
      ['user', 'add', 'ann@loop.example', '--password', 'secret-pass', '--colour'],
      'mailhive: unknown option --colour (see mailhive --help)',
    ],
    [
      ['user', 'passwd', 'ann@loop.example', '--password', 'a', '--password-stdin'],
      'mailhive: give either --password or --password-stdin, not both (see mailhive --help)',
    ],
    [['domain', 'list', '--all'], 'mailhive: unknown option --all (see mailhive --help)'],
    [['--frobnicate'], 'mailhive: unknown option "--frobnicate" (see mailhive --help)'],
    [['frobnicate'], 'mailhive: unknown command "frobnicate" (see mailhive --help)'],
    [['user', 'frobnicate'], 'mailhive: unknown command "user frobnicate" (see mailhive --help)'],
    [['user'], 'mailhive: "user" needs a subcommand: add|set|list|passwd|remove (see mailhive --help)'],
    [[], 'mailhive: no command given (see mailhive --help)'],
    [['user', 'add'], 'mailhive: expected one address (see mailhive --help)'],
    [['user', 'add', 'ann@loop.example'], 'mailhive: --password or --password-stdin is required (see mailhive --help)'],
    [['alias', 'add', 'team@loop.example'], 'mailhive: expected ADDRESS TARGET... (see mailhive --help)'],
    [['queue', 'retry'], 'mailhive: expected one queue ID (see mailhive --help)'],
  ])('refuses the usage error %j with exit code 2 and one line', async (args, message) => {
    expectOneLine(await server.cli(...args), 2, message);
  });

  it('reports an unexpected fault in one line with exit code 1, and its stack only at log level debug', async () => {
    // A blob directory below a plain file: the store cannot create it, a fault no refusal words for the operator. On a
    // data directory of its own, since the server's records its own blob directory.
    const env = {
      ...server.env,
      MAILHIVE_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailhive-fault-')),
      MAILHIVE_BLOB_DIR: join(MAILHIVE_BIN, 'blobs'),
    };
    expectOneLine(await runCli(['domain', 'list'], env), 1, /^mailhive: unexpected error: ENOTDIR: not a directory/);
    const debug = await runCli(['domain', 'list'], { ...env, MAILHIVE_LOG_LEVEL: 'debug' });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(STACK_LINE);
  });

  it('reads the password of user add and user passwd from standard input with --password-stdin', async () => {
    expect(await cliWithInput(server, 'first-secret\n', 'user', 'add', 'ann@loop.example', '--password-stdin')).toMatchObject({
      code: 0,
      stdout: 'user ann@loop.example added (quota unlimited)\n',
    });
    expect(await passwordMatches(server, 'ann@loop.example', 'first-secret')).toBe(true);
    expect(
      await cliWithInput(server, 'second-secret\r\nignored\n', 'user', 'passwd', 'ann@loop.example', '--password-stdin'),
    ).toMatchObject({ code: 0 });
    expect(await passwordMatches(server, 'ann@loop.example', 'first-secret')).toBe(false);
    expect(await passwordMatches(server, 'ann@loop.example', 'second-secret')).toBe(true);
    expectOneLine(
      await cliWithInput(server, '', 'user', 'passwd', 'ann@loop.example', '--password-stdin'),
      2,
      'mailhive: --password-stdin: no password on standard input (see mailhive --help)',
    );
    expectOneLine(
      await cliWithInput(server, `${'x'.repeat(5000)}\n`, 'user', 'passwd', 'ann@loop.example', '--password-stdin'),
      2,
      /^mailhive: --password-stdin: the password line on standard input is longer than 4096 bytes/,
    );
  });

  it('refuses an alias that leads back to itself, directly or through other aliases', async () => {
    expectOneLine(
      await server.cli('alias', 'add', 'self@loop.example', 'Self@loop.example'),
      1,
      'mailhive: alias self@loop.example would form a loop: self@loop.example -> self@loop.example',
    );
    expect((await server.cli('alias', 'add', 'a@loop.example', 'b@loop.example')).code).toBe(0);
    expect((await server.cli('alias', 'add', 'b@loop.example', 'c@loop.example', 'ann@loop.example')).code).toBe(0);
    expectOneLine(
      await server.cli('alias', 'add', 'c@loop.example', 'a@loop.example'),
      1,
      'mailhive: alias c@loop.example would form a loop: c@loop.example -> a@loop.example -> b@loop.example -> c@loop.example',
    );
    // Two lists sharing a member form no loop.
    expect((await server.cli('alias', 'add', 'both@loop.example', 'a@loop.example', 'b@loop.example')).code).toBe(0);
    expect((await server.cli('alias', 'list')).stdout).not.toMatch(/^c@loop\.example\t/m);
  });
});

describe('SMTP delivery to an alias loop made before loops were refused', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'old.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'dan@old.example', '--password', 'secret-pass')).code).toBe(0);
    // The CLI refuses these now: write them as an older version would have.
    const sources = await openDataSources(loadConfig({ ...server.env } as Record<string, string>));
    try {
      const domain = await sources.writer.manager.findOneByOrFail(DomainEntity, { name: 'old.example' });
      const loops: Record<string, string[]> = {
        'self@old.example': ['self@old.example'],
        'ping@old.example': ['pong@old.example'],
        'pong@old.example': ['ping@old.example'],
        'half@old.example': ['half@old.example', 'dan@old.example'],
      };
      for (const [address, targets] of Object.entries(loops)) {
        await sources.writer.manager.save(AliasEntity, { address, domainId: domain.id, targets, createdAt: Date.now() });
      }
    } finally {
      await closeDataSources(sources);
    }
    await server.start();
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('answers 550 5.4.6 for an alias that only leads back to itself, and 5.1.1 for an unknown address', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    try {
      expect(await wire.command('EHLO client.example')).toMatch(/^250/);
      expect(await wire.command('MAIL FROM:<sender@outside.example>')).toMatch(/^250/);
      expect(await wire.command('RCPT TO:<self@old.example>')).toMatch(/^550 5\.4\.6 /);
      expect(await wire.command('RCPT TO:<ping@old.example>')).toMatch(/^550 5\.4\.6 /);
      expect(await wire.command('RCPT TO:<nobody@old.example>')).toMatch(/^550 5\.1\.1 /);
    } finally {
      wire.close();
    }
  });

  it('still delivers to the members of an alias that includes itself', async () => {
    const mx = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.smtp,
      secure: false,
      tls: { rejectUnauthorized: false },
    });
    const info = await mx.sendMail({ from: 'sender@outside.example', to: 'half@old.example', subject: 'half', text: 'hi' });
    expect(info.accepted).toEqual(['half@old.example']);
  });
});

/** Whether `password` is the stored password of `address`, checked against the hash in the server's database. */
async function passwordMatches(server: MailhiveProcess, address: string, password: string): Promise<boolean> {
  const sources = await openDataSources(loadConfig({ ...server.env } as Record<string, string>));
  try {
    const account = await sources.reader.manager.findOneByOrFail(AccountEntity, { address });
    return await verifyPassword(password, account.passwordHash);
  } finally {
    await closeDataSources(sources);
  }
}
