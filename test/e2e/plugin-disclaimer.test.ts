import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';

/** The shipped disclaimer plugin: a footer set over GraphQL, added to mail sent over SMTP submission, read over IMAP. */
describe('disclaimer plugin', () => {
  let server: MailhiveProcess;
  let gql: ReturnType<typeof graphqlClient>;
  let admin: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_PLUGINS: 'disclaimer' });
    await server.start();
    for (const domain of ['corp.example', 'partner.example']) await server.cli('domain', 'add', domain);
    await server.cli('user', 'add', 'root@corp.example', '--password', 'password123', '--admin');
    for (const address of ['kim@corp.example', 'max@corp.example', 'lee@partner.example'])
      await server.cli('user', 'add', address, '--password', 'password123');
    gql = graphqlClient(server);
    admin = await login(server, 'root@corp.example', 'password123');
  });

  afterAll(async () => {
    await server.destroy();
  });

  const setFooter = (args: Record<string, unknown>, token = admin) =>
    gql(
      'mutation($a: String!) { pluginMutation(plugin: "disclaimer", field: "setFooter", argsJson: $a) }',
      { a: JSON.stringify(args) },
      token,
    );
  const submit = (to: string, message: { subject: string; text?: string; html?: string; raw?: string }) =>
    createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      auth: { user: 'kim@corp.example', pass: 'password123' },
      tls: { rejectUnauthorized: false },
    }).sendMail(
      message.raw ? { envelope: { from: 'kim@corp.example', to }, raw: message.raw } : { from: 'kim@corp.example', to, ...message },
    );
  const received = async (address: string, subject: string): Promise<ParsedMail> => {
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
        const uids = await client.search({ subject }, { uid: true });
        if (!uids || uids.length === 0) throw new Error(`no message "${subject}" for ${address}`);
        const message = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
        return simpleParser(message && message.source ? message.source : Buffer.alloc(0));
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };

  it('lets only system admins set footers', async () => {
    const kim = await login(server, 'kim@corp.example', 'password123');
    expect(errorCode(await setFooter({ domain: 'corp.example', text: 'mine' }, kim))).toBe('FORBIDDEN');
    expect(errorCode(await setFooter({ domain: 'corp.example' }))).toBe('BAD_USER_INPUT');
    const set = await setFooter({ domain: 'corp.example', text: 'Corp Ltd · confidential', html: '<p><b>Corp Ltd</b> · confidential</p>' });
    expect(JSON.parse(set.data?.pluginMutation as string)).toEqual({
      text: 'Corp Ltd · confidential',
      html: '<p><b>Corp Ltd</b> · confidential</p>',
    });
  });

  it('adds the footer to the text and HTML parts of mail leaving the domain', async () => {
    await submit('lee@partner.example', {
      subject: 'Offer',
      text: 'Our offer, as agreed.',
      html: '<html><body><p>Our offer, as agreed.</p></body></html>',
    });
    const parsed = await received('lee@partner.example', 'Offer');
    expect(parsed.text).toBe('Our offer, as agreed.\n\n-- \nCorp Ltd · confidential\n');
    expect(parsed.html).toBe(
      '<html><body><p>Our offer, as agreed.</p><div class="mailhive-disclaimer"><p><b>Corp Ltd</b> · confidential</p></div></body></html>',
    );
  });

  it('leaves mail inside the domain and signed mail alone', async () => {
    await submit('max@corp.example', { subject: 'Internal', text: 'Lunch?' });
    expect((await received('max@corp.example', 'Internal')).text?.trim()).toBe('Lunch?');
    const signed = [
      'From: kim@corp.example',
      'To: lee@partner.example',
      'Subject: Signed',
      'MIME-Version: 1.0',
      'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="sig"',
      '',
      '--sig',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Signed words.',
      '--sig',
      'Content-Type: application/pgp-signature',
      '',
      '-----BEGIN PGP SIGNATURE-----',
      'iQEzBAEBCAAdFiEE',
      '-----END PGP SIGNATURE-----',
      '--sig--',
      '',
    ].join('\r\n');
    await submit('lee@partner.example', { subject: 'Signed', raw: signed });
    const parsed = await received('lee@partner.example', 'Signed');
    expect(parsed.text).not.toContain('Corp Ltd');
  });
});
