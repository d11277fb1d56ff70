import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';

describe('mailhive user set and domain admins', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    for (const domain of ['a.example', 'b.example']) expect((await server.cli('domain', 'add', domain)).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@a.example', '--password', 'secret-pass')).code).toBe(0);
  });

  afterAll(async () => {
    await server.destroy();
  });

  it('adds a domain admin of several domains', async () => {
    expect(
      await server.cli(
        'user',
        'add',
        'boss@a.example',
        '--password',
        'secret-pass',
        '--role',
        'domain-admin',
        '--domains',
        'a.example,B.example',
      ),
    ).toMatchObject({ code: 0, stdout: 'user boss@a.example added (quota unlimited, domain admin of a.example, B.example)\n' });
    expect(JSON.parse((await server.cli('user', 'list', 'a.example', '--json')).stdout)).toContainEqual(
      expect.objectContaining({ address: 'boss@a.example', role: 'domain-admin' }),
    );
  });

  it('changes quota, state, role, protocols and expiry, and says what the user is now', async () => {
    expect(
      await server.cli(
        'user',
        'set',
        'ann@a.example',
        '--quota',
        '1G',
        '--disabled',
        '--protocols',
        'imap,webmail',
        '--expires',
        '2030-06-30',
      ),
    ).toMatchObject({
      code: 0,
      stdout: 'user ann@a.example updated (role user, quota 1G, disabled, protocols imap,webmail, expires 2030-06-30)\n',
    });
    expect(
      await server.cli(
        'user',
        'set',
        'ann@a.example',
        '--enabled',
        '--expires',
        'never',
        '--role',
        'domain-admin',
        '--domains',
        'b.example',
      ),
    ).toMatchObject({
      code: 0,
      stdout: 'user ann@a.example updated (role domain-admin of b.example, quota 1G, enabled, protocols imap,webmail, expires never)\n',
    });
    expect(await server.cli('user', 'set', 'ann@a.example', '--role', 'user', '--protocols', 'none')).toMatchObject({
      code: 0,
      stdout: 'user ann@a.example updated (role user, quota 1G, enabled, protocols none, expires never)\n',
    });
  });

  it.each([
    [['user', 'set', 'ann@a.example'], 2, 'mailhive: nothing to change: give at least one option (see mailhive --help)\n'],
    [
      ['user', 'set', 'ann@a.example', '--disabled', '--enabled'],
      2,
      'mailhive: give either --disabled or --enabled, not both (see mailhive --help)\n',
    ],
    [
      ['user', 'set', 'ann@a.example', '--role', 'emperor'],
      2,
      'mailhive: --role: "emperor" is not a role (user, domain-admin, system-admin) (see mailhive --help)\n',
    ],
    [
      ['user', 'set', 'ann@a.example', '--protocols', 'imap,ftp'],
      2,
      'mailhive: --protocols: "imap,ftp" is not a list of smtp, imap, pop3, webmail, mobile (see mailhive --help)\n',
    ],
    [
      ['user', 'set', 'ann@a.example', '--expires', '2030-02-30'],
      2,
      'mailhive: --expires: "2030-02-30" is not a date (YYYY-MM-DD or never) (see mailhive --help)\n',
    ],
    [['user', 'set', 'ann@a.example', '--quota', 'lots'], 2, /^mailhive: --quota: "lots" is not a size/],
    [['user', 'set', 'ann@a.example', '--frobnicate'], 2, 'mailhive: unknown option --frobnicate (see mailhive --help)\n'],
    [
      ['user', 'add', 'x@a.example', '--password', 'secret-pass', '--role', 'domain-admin'],
      2,
      'mailhive: --role domain-admin needs --domains a.org,b.org (see mailhive --help)\n',
    ],
    [
      ['user', 'add', 'x@a.example', '--password', 'secret-pass', '--domains', 'a.example'],
      2,
      'mailhive: --domains is for --role domain-admin (see mailhive --help)\n',
    ],
    [
      ['user', 'add', 'x@a.example', '--password', 'secret-pass', '--admin', '--role', 'user'],
      2,
      'mailhive: give either --admin or --role, not both (see mailhive --help)\n',
    ],
    [['user', 'set', 'nobody@a.example', '--disabled'], 1, 'mailhive: user nobody@a.example does not exist\n'],
    [
      ['user', 'set', 'ann@a.example', '--role', 'domain-admin'],
      1,
      'mailhive: a domain admin needs at least one domain (--domains a.org,b.org)\n',
    ],
    [['user', 'set', 'ann@a.example', '--domains', 'a.example'], 1, 'mailhive: only a domain admin administers domains\n'],
    [['user', 'set', 'boss@a.example', '--domains', 'nowhere.example'], 1, 'mailhive: domain nowhere.example does not exist\n'],
    [
      ['user', 'add', 'x@a.example', '--password', 'secret-pass', '--role', 'domain-admin', '--domains', 'nowhere.example'],
      1,
      'mailhive: domain nowhere.example does not exist\n',
    ],
  ])('refuses %j with exit code %i', async (args, code, message) => {
    const result = await server.cli(...args);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    if (typeof message === 'string') expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
  });

  it('leaves a refused change undone', async () => {
    expect(JSON.parse((await server.cli('user', 'list', 'a.example', '--json')).stdout)).toContainEqual(
      expect.objectContaining({
        address: 'ann@a.example',
        role: 'user',
        usedBytes: 0,
        quotaBytes: 1024 ** 3,
        enabled: true,
      }),
    );
  });
});
