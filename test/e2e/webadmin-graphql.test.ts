import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, type GraphqlResult } from './graphql-helpers.js';

const PASSWORD = 'secret-pass-1';
const USER_FIELDS = 'address domain role adminDomains quotaBytes disabled protocols expiresAt displayName';

/** Every admin field, each with arguments that would succeed for a system admin. */
const ADMIN_FIELDS: [string, string, Record<string, unknown>][] = [
  ['adminMe', '{ adminMe { address } }', {}],
  ['adminDomains', '{ adminDomains { name } }', {}],
  ['adminUsers', '{ adminUsers { total } }', {}],
  ['auditLog', '{ auditLog { entries { id } } }', {}],
  ['auditLogCsv', '{ auditLogCsv }', {}],
  ['adminAddDomain', 'mutation { adminAddDomain(name: "new.example") { name } }', {}],
  ['adminRemoveDomain', 'mutation { adminRemoveDomain(name: "b.example") }', {}],
  [
    'adminCreateUser',
    'mutation($i: AdminUserCreateInput!) { adminCreateUser(input: $i) { address } }',
    { i: { address: 'new@b.example', password: PASSWORD } },
  ],
  ['adminUpdateUser', 'mutation { adminUpdateUser(address: "bob@b.example", input: { quotaBytes: 1 }) { address } }', {}],
  ['adminResetPassword', `mutation { adminResetPassword(address: "bob@b.example", password: "${PASSWORD}x") }`, {}],
  ['adminDeleteUser', 'mutation { adminDeleteUser(address: "bob@b.example") }', {}],
  ['adminDnsRecords', '{ adminDnsRecords(domain: "b.example", check: true) { name status } }', {}],
  ['adminSignOutEverywhere', 'mutation { adminSignOutEverywhere }', {}],
  ['adminDashboard', '{ adminDashboard { queueSize hourly { received } } }', {}],
  ['adminQueue', '{ adminQueue { id } }', {}],
  ['adminQueuedMessage', '{ adminQueuedMessage(id: 1) { headers } }', {}],
  ['adminRetryQueued', 'mutation { adminRetryQueued(id: 1) }', {}],
  ['adminDeleteQueued', 'mutation { adminDeleteQueued(id: 1) }', {}],
  ['adminBounceQueued', 'mutation { adminBounceQueued(id: 1) }', {}],
  ['adminMessageTrace', '{ adminMessageTrace(filter: { recipient: "bob@b.example" }) { event } }', {}],
  ['adminSettings', '{ adminSettings { smtpBanner environment { variable } } }', {}],
  ['adminUpdateSettings', 'mutation { adminUpdateSettings(input: { smtpBanner: "x" }) { smtpBanner } }', {}],
  ['adminPlugins', '{ adminPlugins { name hooks { name } } }', {}],
  ['adminUnlockUser', 'mutation { adminUnlockUser(address: "bob@b.example") }', {}],
  ['adminResetTwoFactor', 'mutation { adminResetTwoFactor(address: "bob@b.example") }', {}],
  ['adminSetDomainTwoFactorRequired', 'mutation { adminSetDomainTwoFactorRequired(name: "b.example", required: true) { name } }', {}],
  [
    'adminImportUsers',
    'mutation($c: String!) { adminImportUsers(csv: $c) { imported } }',
    { c: `address,password,name,quota_mb\nnew9@b.example,${PASSWORD},,` },
  ],
];

describe('admin GraphQL API', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let root: string;
  let boss: string;
  let carl: string;

  const adminLogin = async (email: string, password = PASSWORD): Promise<GraphqlResult> =>
    gql('mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token admin { address role domains } } }', {
      e: email,
      p: password,
    });

  const create = async (token: string, input: Record<string, unknown>): Promise<GraphqlResult> =>
    gql(
      `mutation($i: AdminUserCreateInput!) { adminCreateUser(input: $i) { ${USER_FIELDS} } }`,
      { i: { password: PASSWORD, ...input } },
      token,
    );

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    await server.start();
    gql = graphqlClient(server);
    root = (await adminLogin('root@a.example')).data?.adminLogin?.token as string;
    expect((await gql('mutation { adminAddDomain(name: "B.example") { name users } }', {}, root)).data?.adminAddDomain).toEqual({
      name: 'b.example',
      users: 0,
    });
    for (const input of [
      { address: 'boss@a.example', role: 'domain_admin', adminDomains: ['a.example'] },
      { address: 'ann@a.example', displayName: 'Ann Lee' },
      { address: 'carl@a.example' },
      { address: 'bob@b.example' },
    ])
      expect((await create(root, input)).errors).toBeUndefined();
    boss = (await adminLogin('boss@a.example')).data?.adminLogin?.token as string;
    carl = await login(server, 'carl@a.example', PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await server.destroy();
  });

  it('signs admins in with their scope and refuses plain users and wrong passwords', async () => {
    expect((await adminLogin('boss@a.example')).data?.adminLogin?.admin).toEqual({
      address: 'boss@a.example',
      role: 'domain_admin',
      domains: ['a.example'],
    });
    expect((await adminLogin('root@a.example')).data?.adminLogin?.admin).toEqual({
      address: 'root@a.example',
      role: 'system_admin',
      domains: [],
    });
    expect(errorCode(await adminLogin('carl@a.example'))).toBe('ACCOUNT_DISABLED');
    expect(errorCode(await adminLogin('root@a.example', 'wrong-password'))).toBe('INVALID_CREDENTIALS');
  });

  it.each(ADMIN_FIELDS)('%s: UNAUTHENTICATED without a session and FORBIDDEN for a plain user', async (_name, query, variables) => {
    expect(errorCode(await gql(query, variables))).toBe('UNAUTHENTICATED');
    const refused = await gql(query, variables, carl);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.data ?? null).toBeNull();
  });

  it.each(
    ADMIN_FIELDS.filter(
      ([name]) =>
        !['adminMe', 'adminDomains', 'adminUsers', 'auditLog', 'auditLogCsv', 'adminSignOutEverywhere', 'adminImportUsers'].includes(name),
    ),
  )('%s: FORBIDDEN for a domain admin outside its scope', async (_name, query, variables) => {
    expect(errorCode(await gql(query, variables, boss))).toBe('FORBIDDEN');
  });

  it('answers a domain admin the same for an existing and a missing user of another domain', async () => {
    for (const address of ['bob@b.example', 'ghost@b.example', 'ghost@nowhere.example', 'not an address']) {
      const result = await gql(
        'mutation($a: String!) { adminUpdateUser(address: $a, input: { displayName: "x" }) { address } }',
        { a: address },
        boss,
      );
      expect(result.errors?.[0]).toMatchObject({ message: 'not allowed', extensions: { code: 'FORBIDDEN' } });
    }
    // Inside its own domain a missing user is simply not found.
    expect(errorCode(await gql('mutation { adminDeleteUser(address: "ghost@a.example") }', {}, boss))).toBe('NOT_FOUND');
  });

  it('shows a domain admin its own domain only, and lets it manage plain users there but not admins', async () => {
    expect((await gql('{ adminDomains { name } }', {}, boss)).data?.adminDomains).toEqual([{ name: 'a.example' }]);
    const users = (await gql('{ adminUsers(limit: 50) { total users { address } } }', {}, boss)).data?.adminUsers;
    expect(users).toEqual({ total: 4, users: ['ann', 'boss', 'carl', 'root'].map((name) => ({ address: `${name}@a.example` })) });
    expect(errorCode(await create(boss, { address: 'eve@a.example', role: 'system_admin' }))).toBe('FORBIDDEN');
    expect(
      errorCode(await gql('mutation { adminUpdateUser(address: "root@a.example", input: { disabled: true }) { address } }', {}, boss)),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(
        await gql('mutation { adminUpdateUser(address: "carl@a.example", input: { role: "system_admin" }) { address } }', {}, boss),
      ),
    ).toBe('FORBIDDEN');
    expect((await create(boss, { address: 'dina@a.example', quotaBytes: 1048576 })).data?.adminCreateUser).toMatchObject({
      address: 'dina@a.example',
      role: 'user',
      quotaBytes: 1048576,
    });
    const updated = await gql(
      `mutation { adminUpdateUser(address: "dina@a.example", input: { quotaBytes: 2097152, disabled: true, protocols: ["imap", "webmail"], expiresAt: "2030-01-01T00:00:00.000Z" }) { ${USER_FIELDS} } }`,
      {},
      boss,
    );
    expect(updated.data?.adminUpdateUser).toMatchObject({
      quotaBytes: 2097152,
      disabled: true,
      protocols: ['imap', 'webmail'],
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(
      (await gql(`mutation { adminResetPassword(address: "dina@a.example", password: "${PASSWORD}2") }`, {}, boss)).data
        ?.adminResetPassword,
    ).toBe(true);
    expect((await gql('mutation { adminDeleteUser(address: "dina@a.example") }', {}, boss)).data?.adminDeleteUser).toBe(true);
  });

  it('searches by address or name prefix, sorts and pages', async () => {
    const page = async (args: string) => (await gql(`{ adminUsers(${args}) { total users { address } } }`, {}, root)).data?.adminUsers;
    expect(await page('search: "an"')).toEqual({ total: 1, users: [{ address: 'ann@a.example' }] });
    expect(await page('search: "Ann L"')).toEqual({ total: 1, users: [{ address: 'ann@a.example' }] });
    expect(await page('search: "%"')).toEqual({ total: 0, users: [] });
    expect(await page('sort: ADDRESS, descending: true, limit: 2')).toEqual({
      total: 5,
      users: [{ address: 'root@a.example' }, { address: 'carl@a.example' }],
    });
    expect(await page('sort: ADDRESS, offset: 2, limit: 2')).toEqual({
      total: 5,
      users: [{ address: 'boss@a.example' }, { address: 'carl@a.example' }],
    });
    expect(errorCode(await gql('query($l: Int!) { adminUsers(limit: $l) { total } }', { l: 100_000 }, root))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql('query($f: Int!) { adminUsers(offset: $f) { total } }', { f: -1 }, root))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql('query($s: String!) { adminUsers(search: $s) { total } }', { s: 'x'.repeat(400) }, root))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('lets a domain admin unlock a locked-out user of its domain without changing the password', async () => {
    const userLogin = (password: string) =>
      gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: 'ann@a.example', p: password });
    for (let attempt = 0; attempt < 5; attempt++) expect(errorCode(await userLogin('wrong-password-1'))).toBe('INVALID_CREDENTIALS');
    expect(errorCode(await userLogin(PASSWORD))).toBe('LOCKED');
    expect((await gql('mutation { adminUnlockUser(address: "ann@a.example") }', {}, boss)).data?.adminUnlockUser).toBe(true);
    expect((await userLogin(PASSWORD)).data?.login?.token).toBeTruthy();
    const audit = await gql('{ auditLog(filter: { action: "user.unlock" }) { entries { actor target } } }', {}, root);
    expect(audit.data?.auditLog.entries).toEqual([{ actor: 'boss@a.example', target: 'ann@a.example' }]);
  });

  it('imports users from CSV all or nothing, and keeps a domain admin to its domains without telling which exist', async () => {
    const importCsv = (token: string, lines: string[], options: { skipBadRows?: boolean; dryRun?: boolean } = {}) =>
      gql(
        'mutation($c: String!, $s: Boolean!, $d: Boolean!) { adminImportUsers(csv: $c, skipBadRows: $s, dryRun: $d) { rows imported errors { line address message } } }',
        { c: ['address,password,name,quota_mb', ...lines].join('\r\n'), s: options.skipBadRows ?? false, d: options.dryRun ?? false },
        token,
      );
    const lines = [
      `imp1@a.example,${PASSWORD},"Imp, One",5`,
      `imp2@b.example,${PASSWORD},,`,
      `imp3@nowhere.example,${PASSWORD},,`,
      `imp4@a.example,short,,`,
      `imp1@a.example,${PASSWORD},,`,
    ];
    const refused = (await importCsv(boss, lines)).data?.adminImportUsers;
    expect(refused).toEqual({
      rows: 5,
      imported: 0,
      errors: [
        { line: 3, address: 'imp2@b.example', message: 'the domain is outside your scope' },
        { line: 4, address: 'imp3@nowhere.example', message: 'the domain is outside your scope' },
        { line: 5, address: 'imp4@a.example', message: 'the password must have 8 to 1024 characters' },
        { line: 6, address: 'imp1@a.example', message: 'the address is in the file twice' },
      ],
    });
    expect((await gql('{ adminUsers(search: "imp") { total } }', {}, root)).data?.adminUsers.total).toBe(0);
    expect((await importCsv(boss, lines, { skipBadRows: true, dryRun: true })).data?.adminImportUsers.imported).toBe(0);
    const skipped = (await importCsv(boss, lines, { skipBadRows: true })).data?.adminImportUsers;
    expect(skipped.imported).toBe(1);
    expect(
      (await gql('{ adminUsers(search: "imp") { users { address displayName quotaBytes } } }', {}, root)).data?.adminUsers.users,
    ).toEqual([{ address: 'imp1@a.example', displayName: 'Imp, One', quotaBytes: 5 * 1024 * 1024 }]);
    expect(
      errorCode(
        await gql('mutation($c: String!) { adminImportUsers(csv: $c) { imported } }', { c: 'email,password\nx@a.example,y' }, root),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('refuses to let an admin lock itself out', async () => {
    expect(
      errorCode(await gql('mutation { adminUpdateUser(address: "root@a.example", input: { disabled: true }) { address } }', {}, root)),
    ).toBe('CANNOT');
    expect(errorCode(await gql('mutation { adminDeleteUser(address: "root@a.example") }', {}, root))).toBe('CANNOT');
  });

  it('writes every admin action to the audit log with who, role, what, target, before/after and client address', async () => {
    const result = await gql(
      '{ auditLog(filter: { action: "user", target: "dina@a.example" }) { entries { actor actorRole action target detail clientAddress } nextBefore } }',
      {},
      root,
    );
    expect(result.errors).toBeUndefined();
    const entries = result.data?.auditLog?.entries as {
      actor: string;
      actorRole: string;
      action: string;
      target: string;
      detail: string;
      clientAddress: string;
    }[];
    expect(entries.map((entry) => entry.action)).toEqual(['user.remove', 'user.passwd', 'user.update', 'user.add']);
    for (const entry of entries)
      expect(entry).toMatchObject({
        actor: 'boss@a.example',
        actorRole: 'domain_admin',
        target: 'dina@a.example',
        clientAddress: expect.stringMatching(/127\.0\.0\.1/),
      });
    expect(JSON.parse(entries[2]!.detail)).toEqual({
      before: { quotaBytes: 1048576, enabled: true, protocols: ['smtp', 'imap', 'pop3', 'webmail', 'mobile'], expiresAt: 0 },
      after: { quotaBytes: 2097152, enabled: false, protocols: ['imap', 'webmail'], expiresAt: Date.UTC(2030, 0, 1) },
    });
  });

  it('pages the audit log below an id, and shows a domain admin the entries of its domains only', async () => {
    const firstResult = await gql('{ auditLog(limit: 2) { entries { id } nextBefore } }', {}, root);
    expect(firstResult.errors).toBeUndefined();
    const first = firstResult.data?.auditLog;
    expect(first.entries).toHaveLength(2);
    const second = (await gql('query($b: ID) { auditLog(limit: 2, before: $b) { entries { id } } }', { b: first.nextBefore }, root)).data
      ?.auditLog;
    expect(Number(second.entries[0].id)).toBeLessThan(Number(first.entries[1].id));
    const seen = (await gql('{ auditLog(limit: 200) { entries { target } } }', {}, boss)).data?.auditLog?.entries as { target: string }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((entry) => entry.target.endsWith('b.example'))).toEqual([]);
    const all = (await gql('{ auditLog(limit: 200) { entries { target } } }', {}, root)).data?.auditLog?.entries as { target: string }[];
    expect(all.some((entry) => entry.target === 'bob@b.example')).toBe(true);
  });

  it('exports the audit log as CSV', async () => {
    const csv = (await gql('{ auditLogCsv(filter: { action: "domain" }) }', {}, root)).data?.auditLogCsv as string;
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,time,actor,role,action,target,client,detail');
    expect(lines.filter((line) => line.includes(',domain.add,b.example,'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes(',cli,,domain.add,a.example,,'))).toHaveLength(1);
  });

  it('adds and removes domains for system admins', async () => {
    expect(errorCode(await gql('mutation { adminRemoveDomain(name: "b.example") }', {}, root))).toBe('IN_USE');
    expect((await gql('mutation { adminAddDomain(name: "c.example") { name } }', {}, root)).data?.adminAddDomain).toEqual({
      name: 'c.example',
    });
    expect((await gql('mutation { adminRemoveDomain(name: "c.example") }', {}, root)).data?.adminRemoveDomain).toBe(true);
    expect(errorCode(await gql('mutation { adminAddDomain(name: "a.example") { name } }', {}, root))).toBe('ALREADY_EXISTS');
  });
});

describe('admin surfaces per configuration', { timeout: 120_000 }, () => {
  it('has no /admin and no admin type without the webadmin module', async () => {
    const server = await MailhiveProcess.create({ MAILHIVE_MODULES: 'webmail' });
    try {
      await server.start();
      const types = await graphqlClient(server)(
        '{ __schema { types { name } mutationType { fields { name } } queryType { fields { name } } } }',
      );
      const names = [
        ...(types.data?.__schema.types as { name: string }[]).map((type) => type.name),
        ...(types.data?.__schema.queryType.fields as { name: string }[]).map((field) => field.name),
        ...(types.data?.__schema.mutationType.fields as { name: string }[]).map((field) => field.name),
      ];
      expect(names).toContain('login');
      expect(names.filter((name) => /admin|audit/i.test(name))).toEqual([]);
      expect((await fetch(`http://127.0.0.1:${server.ports.http}/admin`)).status).toBe(404);
      // No admin exists here, yet without the module there is no setup wizard and no setup token.
      expect(server.logs()).not.toContain('WebAdmin setup');
    } finally {
      await server.destroy();
    }
  });

  it('refuses clients outside MAILHIVE_ADMIN_ALLOW at /admin and in the admin API, and keeps /metrics on loopback', async () => {
    const server = await MailhiveProcess.create({ MAILHIVE_ADMIN_ALLOW: '10.0.0.0/8' });
    try {
      expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
      expect((await server.cli('user', 'add', 'root@a.example', '--password', PASSWORD, '--admin')).code).toBe(0);
      await server.start();
      const gql = graphqlClient(server);
      expect((await fetch(`http://127.0.0.1:${server.ports.http}/admin`)).status).toBe(403);
      expect(errorCode(await gql('mutation { adminLogin(email: "root@a.example", password: "secret-pass-1") { token } }'))).toBe(
        'FORBIDDEN',
      );
      const token = await login(server, 'root@a.example', PASSWORD);
      expect(errorCode(await gql('{ adminUsers { total } }', {}, token))).toBe('FORBIDDEN');
      expect((await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).status).toBe(200);
    } finally {
      await server.destroy();
    }
  });
});
