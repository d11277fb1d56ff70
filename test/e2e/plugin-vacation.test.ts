import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, type GraphqlResult } from './graphql-helpers.js';
import { eventually } from '../support/poll.js';

/** The shipped vacation plugin: settings over GraphQL, replies over real SMTP, read back over IMAP. */
describe('vacation plugin', () => {
  let server: MailhiveProcess;
  let gql: ReturnType<typeof graphqlClient>;
  let kim: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_PLUGINS: 'vacation' });
    await server.start();
    await server.cli('domain', 'add', 'away.example');
    for (const name of ['kim', 'lee', 'max']) await server.cli('user', 'add', `${name}@away.example`, '--password', 'password123');
    gql = graphqlClient(server);
    kim = await login(server, 'kim@away.example', 'password123');
  });

  afterAll(async () => {
    await server.destroy();
  });

  const call = async (
    kind: 'query' | 'mutation',
    field: string,
    args: unknown,
  ): Promise<GraphqlResult & { value?: Record<string, unknown> }> => {
    const name = kind === 'query' ? 'pluginQuery' : 'pluginMutation';
    const result = await gql(
      `${kind}($f: String!, $a: String!) { ${name}(plugin: "vacation", field: $f, argsJson: $a) }`,
      { f: field, a: JSON.stringify(args) },
      kim,
    );
    return { ...result, value: result.data?.[name] ? JSON.parse(result.data[name] as string) : undefined };
  };
  const submit = (from: string, subject: string, headers: Record<string, string> = {}) =>
    createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      auth: { user: from, pass: 'password123' },
      tls: { rejectUnauthorized: false },
    }).sendMail({ from, to: 'kim@away.example', subject, text: 'Are you there?', headers });
  const inbox = async (address: string) => {
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
      const lock = await client.getMailboxLock('INBOX');
      try {
        const result: { subject: string; headers: string }[] = [];
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const message of client.fetch('1:*', { envelope: true, headers: true }))
            result.push({ subject: message.envelope?.subject ?? '', headers: message.headers?.toString() ?? '' });
        }
        return result;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };
  const skipped = async () => {
    const result = await gql('query { pluginQuery(plugin: "vacation", field: "stats") }', {}, kim);
    return JSON.parse(result.data?.pluginQuery as string) as Record<string, number>;
  };

  it('keeps settings per user and refuses invalid ones', async () => {
    expect((await call('query', 'settings', {})).value).toMatchObject({ enabled: false });
    expect(errorCode(await call('mutation', 'setSettings', { enabled: true, body: '' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await call('mutation', 'setSettings', { enabled: true, body: 'x', start: 'tomorrow' }))).toBe('BAD_USER_INPUT');
    const today = new Date().toISOString().slice(0, 10);
    const set = await call('mutation', 'setSettings', {
      enabled: true,
      start: today,
      end: '2099-12-31',
      subject: 'Out of office',
      body: 'Back in January.',
    });
    expect(set.value).toMatchObject({ enabled: true, start: today, subject: 'Out of office' });
    expect((await call('query', 'settings', {})).value).toMatchObject({ enabled: true, body: 'Back in January.' });
  });

  it('answers a sender once, through the submission path, marked auto-replied', async () => {
    await submit('lee@away.example', 'Meeting tomorrow?');
    const replies = await eventually(
      () => inbox('lee@away.example'),
      (list) => list.length === 1,
    );
    expect(replies[0]!.subject).toBe('Out of office');
    expect(replies[0]!.headers).toMatch(/^Auto-Submitted: auto-replied\r?$/im);
    expect(replies[0]!.headers).toMatch(/^In-Reply-To: <.+>\r?$/im);
    // The original itself was delivered.
    expect((await inbox('kim@away.example')).map((message) => message.subject)).toContain('Meeting tomorrow?');

    await submit('lee@away.example', 'And another thing');
    await eventually(skipped, (stats) => stats['skipped:already-replied'] === 1);
    expect(await inbox('lee@away.example')).toHaveLength(1);
  });

  it('never answers list, bulk or automatic mail', async () => {
    await submit('max@away.example', 'digest', { 'List-Id': '<news.lists.example>' });
    await submit('max@away.example', 'offer', { Precedence: 'bulk' });
    await submit('max@away.example', 'robot', { 'Auto-Submitted': 'auto-generated' });
    await eventually(
      skipped,
      (stats) => stats['skipped:list'] === 1 && stats['skipped:bulk'] === 1 && stats['skipped:auto-submitted'] === 1,
    );
    // Lee's reply, itself auto-replied and sent to Lee, never came back to Kim: no loop.
    expect((await inbox('kim@away.example')).map((message) => message.subject)).not.toContain('Out of office');
    expect(await inbox('max@away.example')).toHaveLength(0);
  });

  it('stops answering when switched off', async () => {
    await call('mutation', 'setSettings', { enabled: false });
    await submit('max@away.example', 'Personal question');
    await eventually(
      async () => (await inbox('kim@away.example')).map((message) => message.subject),
      (list) => list.includes('Personal question'),
    );
    expect(await inbox('max@away.example')).toHaveLength(0);
  });
});
