import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, type GraphqlResult } from './graphql-helpers.js';
import { eventually } from '../support/poll.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/plugins/${name}`, import.meta.url));
const PROBE = fixture('sdk-probe.plugin.js');

/** Polls until `check` holds (or the deadline passes, then fails with the last value). */
/** The SDK end to end: a probe plugin using every hook, storage event, service, its configuration and GraphQL fields. */
describe('plugin SDK', () => {
  let server: MailhiveProcess;
  let gql: ReturnType<typeof graphqlClient>;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create({
      MAILHIVE_PLUGINS: [PROBE, fixture('throws-at-load.plugin.js'), fixture('throws-at-setup.plugin.js')].join(','),
    });
    await server.start();
    for (const args of [
      ['domain', 'add', 'sdk.example'],
      ['user', 'add', 'root@sdk.example', '--password', 'password123', '--admin'],
      ['user', 'add', 'kim@sdk.example', '--password', 'password123'],
      ['user', 'add', 'lee@sdk.example', '--password', 'password123'],
    ]) {
      const done = await server.cli(...args);
      if (done.code !== 0) throw new Error(`mailhive ${args.join(' ')}: ${done.stderr}${done.stdout}`);
    }
    gql = graphqlClient(server);
    admin = await login(server, 'root@sdk.example', 'password123');
    user = await login(server, 'kim@sdk.example', 'password123');
  });

  afterAll(async () => {
    await server.destroy();
  });

  const call = async (
    kind: 'query' | 'mutation',
    field: string,
    args: unknown,
    token = user,
  ): Promise<GraphqlResult & { value?: unknown }> => {
    const name = kind === 'query' ? 'pluginQuery' : 'pluginMutation';
    const result = await gql(
      `${kind}($f: String!, $a: String!) { ${name}(plugin: "sdk-probe", field: $f, argsJson: $a) }`,
      { f: field, a: JSON.stringify(args) },
      token,
    );
    return { ...result, value: result.data?.[name] ? JSON.parse(result.data[name] as string) : undefined };
  };
  const counters = async (...names: string[]) => (await call('query', 'counters', { names })).value as Record<string, number>;
  const send = (subject: string, from = 'ann@outside.test', to = 'kim@sdk.example') =>
    createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }).sendMail({
      from,
      to,
      subject,
      text: 'hello',
    });
  const submit = (subject: string, from: string, to: string) =>
    createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      auth: { user: from, pass: 'password123' },
      tls: { rejectUnauthorized: false },
    }).sendMail({ from, to, subject, text: 'hello' });
  const imap = async <T>(address: string, work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: address, pass: 'password123' },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout();
    }
  };
  const subjects = (address: string, path: string) =>
    imap(address, async (client) => {
      const lock = await client.getMailboxLock(path);
      try {
        const result: string[] = [];
        if (client.mailbox && client.mailbox.exists > 0)
          for await (const message of client.fetch('1:*', { envelope: true })) result.push(message.envelope?.subject ?? '');
        return result;
      } finally {
        lock.release();
      }
    });
  const plugins = async () =>
    (
      await gql(
        '{ adminPlugins { name state error order failOpen hooks { name priority timeoutMs } listeners queries mutations config { key type valueJson defaultJson help } } }',
        {},
        admin,
      )
    ).data?.adminPlugins as {
      name: string;
      state: string;
      error: string | null;
      order: number;
      hooks: { name: string; priority: number }[];
      listeners: string[];
      queries: string[];
      mutations: string[];
      config: { key: string; valueJson: string }[];
    }[];

  it('reports plugins that fail to load or set up, and runs the others', async () => {
    const list = await plugins();
    expect(list.map((plugin) => [plugin.name, plugin.state])).toEqual([
      ['sdk-probe', 'enabled'],
      [fixture('throws-at-load.plugin.js'), 'failed'],
      ['throws-at-setup', 'failed'],
    ]);
    expect(list[1]!.error).toMatch(/broken on purpose/);
    expect(list[2]!.error).toBe('setup failed: no backend');
    const probe = list[0]!;
    expect(probe.hooks.find((hook) => hook.name === 'smtp.data')).toMatchObject({ priority: 20 });
    expect(probe.listeners).toHaveLength(6);
    expect(probe.queries).toEqual(['counters', 'whoami', 'value', 'config']);
    expect(probe.config.map((field) => [field.key, field.valueJson])).toEqual([
      ['tag', '"probe"'],
      ['refuseSubject', '""'],
      ['tickMs', '100'],
    ]);
    // The setup-failed plugin's smtp.rcpt refusal never runs: this delivery goes through.
    await send('first');
    expect(await subjects('kim@sdk.example', 'INBOX')).toContain('first');
  });

  it('calls every SMTP and delivery hook, the storage listeners and the scheduler', async () => {
    await send('counted');
    const seen = await eventually(
      () =>
        counters(
          'hook:smtp.connect',
          'hook:smtp.ehlo',
          'hook:smtp.mail',
          'hook:smtp.rcpt',
          'hook:smtp.data',
          'hook:message.deliver',
          'hook:message.delivered',
          'event:message.added',
          'setups',
          'ticks',
        ),
      (value) => value['event:message.added'] >= 2 && value.ticks > 0,
    );
    for (const name of [
      'hook:smtp.connect',
      'hook:smtp.ehlo',
      'hook:smtp.mail',
      'hook:smtp.rcpt',
      'hook:smtp.data',
      'hook:message.deliver',
    ])
      expect(seen[name]).toBeGreaterThanOrEqual(2);
    expect(seen.setups).toBe(1);

    await imap('kim@sdk.example', async (client) => {
      await client.mailboxCreate('Projects');
      await client.mailboxOpen('INBOX');
      await client.messageFlagsAdd('1', ['\\Flagged']);
      await client.messageMove('1', 'Projects');
      await client.mailboxRename('Projects', 'Done');
      await client.mailboxDelete('Done');
    });
    const events = await eventually(
      () =>
        counters(
          'event:flags.changed',
          'event:message.expunged',
          'event:mailbox.created',
          'event:mailbox.renamed',
          'event:mailbox.deleted',
          'hook:account.login',
        ),
      (value) => Object.values(value).every((count) => count >= 1),
    );
    expect(events['hook:account.login']).toBeGreaterThanOrEqual(1);
    expect((await call('query', 'value', { key: 'lastMailbox' })).value).toEqual({ address: 'kim@sdk.example', path: 'Projects' });
  });

  it('sends through the submission path and files into a mailbox for the plugin', async () => {
    await submit('PROBE-REPLY please', 'lee@sdk.example', 'kim@sdk.example');
    await eventually(
      () => subjects('lee@sdk.example', 'INBOX'),
      (list) => list.includes('Re: PROBE-REPLY please'),
    );
    // lee's message and kim's automatic reply both went through message.send.
    expect(await counters('hook:message.send')).toEqual({ 'hook:message.send': 2 });
    await send('PROBE-COPY this');
    expect(await subjects('kim@sdk.example', 'Probe Copies')).toEqual(['PROBE-COPY this']);
    expect((await call('query', 'value', { key: 'lastFile' })).value).toEqual({ ok: true });
  });

  it("gives GraphQL fields the caller and enforces the plugin's authorisation", async () => {
    expect((await call('query', 'whoami', {})).value).toEqual({ address: 'kim@sdk.example', role: 'user' });
    expect(errorCode(await call('mutation', 'remember', { key: 'k', value: 1 }))).toBe('FORBIDDEN');
    expect((await call('mutation', 'remember', { key: 'k', value: { a: [1, 2] } }, admin)).value).toBe(true);
    expect((await call('query', 'value', { key: 'k' })).value).toEqual({ a: [1, 2] });
    expect(errorCode(await call('query', 'counters', { names: 'x' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await call('query', 'nothing', {}))).toBe('NOT_FOUND');
    expect(errorCode(await gql('{ pluginQuery(plugin: "sdk-probe", field: "whoami") }'))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql('{ adminPlugins { name } }', {}, user))).toBe('FORBIDDEN');
  });

  it('applies a configuration change at once and refuses an invalid one', async () => {
    const configure = (values: unknown) =>
      gql(
        'mutation($v: String!) { adminConfigurePlugin(name: "sdk-probe", valuesJson: $v) { config { key valueJson } } }',
        { v: JSON.stringify(values) },
        admin,
      );
    expect(errorCode(await configure({ tickMs: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await configure({ colour: 'red' }))).toBe('BAD_USER_INPUT');
    expect((await configure({ refuseSubject: 'FORBIDDEN-WORD', tag: 'gate' })).data?.adminConfigurePlugin.config).toContainEqual({
      key: 'refuseSubject',
      valueJson: '"FORBIDDEN-WORD"',
    });
    await expect(send('a FORBIDDEN-WORD here')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('gate: subject refused'),
    });
    // The CLI writes the table; the running server follows without a restart.
    const set = await server.cli('plugin', 'set', 'sdk-probe', 'refuseSubject=OTHER');
    expect(set.stdout).toContain('plugin sdk-probe configured: refuseSubject');
    await eventually(
      async () => (await call('query', 'config', {})).value as Record<string, unknown>,
      (value) => value.refuseSubject === 'OTHER',
    );
    await send('a FORBIDDEN-WORD here');
    expect((await server.cli('plugin', 'set', 'sdk-probe', 'tickMs=nope')).code).toBe(2);
  });

  it('disables and enables a plugin at run time from the CLI and GraphQL', async () => {
    const list = await server.cli('plugin', 'list');
    expect(list.stdout).toMatch(/^1\. sdk-probe\tenabled\thooks .*smtp\.data\(20\)/m);
    expect(list.stdout).toMatch(/^   refuseSubject = "OTHER"\t\(string, default ""\)/m);
    expect(list.stdout).toMatch(/^3\. throws-at-setup\tenabled/m);

    expect((await server.cli('plugin', 'disable', 'sdk-probe')).code).toBe(0);
    await eventually(
      async () => errorCode(await call('query', 'whoami', {})),
      (code) => code === 'NOT_FOUND',
    );
    const teardowns = await (async () => {
      expect(
        (await gql('mutation { adminSetPluginEnabled(name: "sdk-probe", enabled: true) { state } }', {}, admin)).data
          ?.adminSetPluginEnabled,
      ).toEqual({ state: 'enabled' });
      return counters('teardowns', 'setups');
    })();
    expect(teardowns).toEqual({ teardowns: 1, setups: 2 });
    await expect(send('an OTHER subject')).rejects.toMatchObject({ responseCode: 550 });
    expect((await gql('mutation { adminReloadPlugin(name: "sdk-probe") { state } }', {}, admin)).data?.adminReloadPlugin).toEqual({
      state: 'enabled',
    });
    expect(await counters('teardowns', 'setups')).toEqual({ teardowns: 2, setups: 3 });
    expect(errorCode(await gql('mutation { adminSetPluginEnabled(name: "nope", enabled: true) { state } }', {}, admin))).toBe('NOT_FOUND');
    expect((await server.cli('plugin', 'enable', 'nope')).code).toBe(1);
  });
});
