import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClamdServer, EICAR } from '../support/clamd-server.js';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { graphqlClient, login } from './graphql-helpers.js';

/** The shipped anti-virus plugin against Debian's clamd, over real SMTP, read back over IMAP. */
describe.skipIf(!ClamdServer.available())('anti-virus plugin', () => {
  let server: MailhiveProcess;
  let clamd: ClamdServer;
  let admin: string;

  beforeAll(async () => {
    clamd = new ClamdServer();
    await clamd.start();
    server = await MailhiveProcess.create({ MAILHIVE_PLUGINS: 'anti-virus' });
    // Configured before the first start: the server reads the settings table as it starts.
    const set = await server.cli('plugin', 'set', 'anti-virus', `clamd=${clamd.socket}`);
    if (set.code !== 0) throw new Error(set.stderr);
    await server.start();
    await server.cli('domain', 'add', 'scan.example');
    await server.cli('user', 'add', 'kim@scan.example', '--password', 'password123');
    await server.cli('user', 'add', 'root@scan.example', '--password', 'password123', '--admin');
    admin = await login(server, 'root@scan.example', 'password123');
  });

  afterAll(async () => {
    await server?.destroy();
    await clamd?.destroy();
  });

  const send = (subject: string, attachment?: string) =>
    createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }).sendMail({
      from: 'ann@outside.test',
      to: 'kim@scan.example',
      subject,
      text: 'see attached',
      attachments: attachment ? [{ filename: 'file.com', content: attachment }] : [],
    });
  const configure = async (values: Record<string, unknown>) => {
    const result = await graphqlClient(server)(
      'mutation($v: String!) { adminConfigurePlugin(name: "anti-virus", valuesJson: $v) { name } }',
      { v: JSON.stringify(values) },
      admin,
    );
    expect(result.errors).toBeUndefined();
  };
  const subjects = async (path: string): Promise<string[]> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'kim@scan.example', pass: 'password123' },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock(path);
      try {
        const result: string[] = [];
        if (client.mailbox && client.mailbox.exists > 0)
          for await (const message of client.fetch('1:*', { envelope: true })) result.push(message.envelope?.subject ?? '');
        return result;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };

  it('accepts clean mail and refuses the EICAR file at DATA with 554 5.7.1', async () => {
    await send('clean', 'just text');
    await expect(send('infected', EICAR)).rejects.toMatchObject({
      responseCode: 554,
      response: expect.stringMatching(/^554 5\.7\.1 Message refused: virus found \(Mailhive-Test\.EICAR/),
    });
    expect(await subjects('INBOX')).toEqual(['clean']);
  });

  it('quarantines into Junk when so configured, without a restart', async () => {
    await configure({ action: 'quarantine' });
    await send('infected, kept', EICAR);
    expect(await subjects('Junk')).toEqual(['infected, kept']);
    expect(await subjects('INBOX')).toEqual(['clean']);
  });

  it('defers mail while clamd is down (fail closed), or accepts it unscanned (fail open)', async () => {
    await clamd.stop();
    await expect(send('while down')).rejects.toMatchObject({
      responseCode: 451,
      response: expect.stringContaining('virus scanner unavailable'),
    });
    await configure({ failMode: 'open' });
    await send('while down, open');
    expect(await subjects('INBOX')).toEqual(['clean', 'while down, open']);
  });
});
