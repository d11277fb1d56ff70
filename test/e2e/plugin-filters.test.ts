import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';

/** The shipped filters plugin: a Sieve script set over GraphQL, run on mail delivered over SMTP, read over IMAP. */
describe('filters plugin', () => {
  let server: MailhiveProcess;
  let kim: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_PLUGINS: 'filters' });
    await server.start();
    await server.cli('domain', 'add', 'sieve.example');
    await server.cli('user', 'add', 'kim@sieve.example', '--password', 'password123');
    kim = await login(server, 'kim@sieve.example', 'password123');
  });

  afterAll(async () => {
    await server.destroy();
  });

  const setScript = (script: string) =>
    graphqlClient(server)(
      'mutation($a: String!) { pluginMutation(plugin: "filters", field: "setScript", argsJson: $a) }',
      { a: JSON.stringify({ script }) },
      kim,
    );
  const send = (from: string, subject: string) =>
    createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }).sendMail({
      from,
      to: 'kim@sieve.example',
      subject,
      text: 'hello',
    });
  const imap = async <T>(work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'kim@sieve.example', pass: 'password123' },
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
  const messages = (path: string) =>
    imap(async (client) => {
      const lock = await client.getMailboxLock(path);
      try {
        const result: { subject: string; flags: string[] }[] = [];
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const message of client.fetch('1:*', { envelope: true, flags: true }))
            result.push({ subject: message.envelope?.subject ?? '', flags: [...(message.flags ?? [])].sort() });
        }
        return result;
      } finally {
        lock.release();
      }
    });

  it('refuses a script that does not compile, naming the line', async () => {
    const result = await setScript('require "fileinto";\nif header :contains "subject" "x" {\n  fileinto "A"\n}');
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBe('script: line 4: expected ";"');
  });

  it("files and flags, discards and rejects as the user's script says", async () => {
    await imap((client) => client.mailboxCreate('Reports'));
    const script = [
      'require ["fileinto", "imap4flags", "reject"];',
      'if header :contains "subject" "report" { fileinto "Reports"; addflag "\\\\Flagged"; }',
      'elsif address :domain :is "from" "spam.test" { discard; }',
      'elsif header :matches "subject" "bounce*" { reject "not here"; }',
    ].join('\n');
    expect((await setScript(script)).errors).toBeUndefined();
    await send('ann@outside.test', 'Weekly report');
    await send('x@spam.test', 'Buy now');
    await send('ann@outside.test', 'bounce this');
    await send('ann@outside.test', 'Hello');
    expect(await messages('Reports')).toEqual([{ subject: 'Weekly report', flags: ['\\Flagged'] }]);
    expect((await messages('INBOX')).map((message) => message.subject)).toEqual(['Hello']);
  });
});
