import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';
import { RawPop3 } from './pop3-e2e-support.js';

const PASSWORD = 'secret-pass-1';
const CREATE =
  'mutation($l: String!, $p: [String!]) { createAppPassword(label: $l, protocols: $p) { secret appPassword { id protocols } } }';
const LIST = '{ appPasswords { id label protocols lastUsedAt lastAddress } }';

describe('app passwords: scoped by protocol, no sessions, revocation ends their mail sessions', { timeout: 180_000 }, () => {
  let server: MailhiveProcess;
  let gql: ReturnType<typeof graphqlClient>;
  let amy: string;

  const imapClient = (user: string, pass: string) =>
    new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user, pass },
      logger: false,
      tls: { rejectUnauthorized: false },
    });

  const imapLogin = async (user: string, pass: string): Promise<boolean> => {
    const flow = imapClient(user, pass);
    try {
      await flow.connect();
      await flow.logout();
      return true;
    } catch {
      return false;
    }
  };

  const pop3Session = async (user: string, pass: string): Promise<{ client: RawPop3; reply: string }> => {
    const client = await RawPop3.connect(server.ports.pop3);
    await client.line();
    await client.command(`USER ${user}`);
    return { client, reply: await client.command(`PASS ${pass}`) };
  };

  const smtpLogin = async (user: string, pass: string): Promise<boolean> => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user, pass },
      tls: { rejectUnauthorized: false },
    });
    try {
      return await transport.verify();
    } catch {
      return false;
    } finally {
      transport.close();
    }
  };

  const create = async (token: string, label: string, protocols?: string[]) => {
    const result = await gql(CREATE, { l: label, p: protocols ?? null }, token);
    expect(result.errors).toBeUndefined();
    return result.data!.createAppPassword as { secret: string; appPassword: { id: string; protocols: string[] } };
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_AUTH_MAX_FAILURES: '50' });
    expect((await server.cli('domain', 'add', 'apps.example')).code).toBe(0);
    for (const user of ['amy', 'bo'])
      expect((await server.cli('user', 'add', `${user}@apps.example`, '--password', PASSWORD)).code).toBe(0);
    await server.start();
    gql = graphqlClient(server);
    amy = await login(server, 'amy@apps.example', PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await server.destroy();
  });

  it('opens only the protocols it names, never GraphQL, and lists its last use with the client address', async () => {
    const imapOnly = await create(amy, 'Phone mail', ['IMAP']);
    expect(imapOnly.appPassword.protocols).toEqual(['imap']);
    expect(await imapLogin('amy@apps.example', imapOnly.secret)).toBe(true);
    const pop3 = await pop3Session('amy@apps.example', imapOnly.secret);
    expect(pop3.reply).toMatch(/^-ERR \[AUTH\]/);
    pop3.client.drop();
    expect(await smtpLogin('amy@apps.example', imapOnly.secret)).toBe(false);
    for (const mutation of ['login', 'webLogin', 'mobileLogin']) {
      const args = mutation === 'mobileLogin' ? ', deviceName: "x"' : '';
      const refused = await gql(`mutation($e: String!, $p: String!) { ${mutation}(email: $e, password: $p${args}) { expiresAt } }`, {
        e: 'amy@apps.example',
        p: imapOnly.secret,
      });
      expect(errorCode(refused)).toBe('INVALID_CREDENTIALS');
    }
    const listed = (await gql(LIST, {}, amy)).data!.appPasswords as Record<string, unknown>[];
    expect(listed).toContainEqual(
      expect.objectContaining({ id: imapOnly.appPassword.id, label: 'Phone mail', protocols: ['imap'], lastAddress: '127.0.0.1' }),
    );
    expect(listed.find((entry) => entry.id === imapOnly.appPassword.id)?.lastUsedAt).toEqual(expect.any(String));
    const everything = await create(amy, 'Laptop');
    expect(everything.appPassword.protocols).toEqual(['imap', 'pop3', 'smtp']);
    expect(await smtpLogin('amy@apps.example', everything.secret)).toBe(true);
    expect(errorCode(await gql(CREATE, { l: 'bad', p: ['graphql'] }, amy))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(CREATE, { l: 'bad', p: [] }, amy))).toBe('BAD_USER_INPUT');
  });

  it("refuses another user's app passwords as not found, and they keep working", async () => {
    const mine = await create(amy, 'Tablet', ['imap']);
    const bo = await login(server, 'bo@apps.example', PASSWORD);
    const refused = await gql('mutation($i: ID!) { revokeAppPassword(id: $i) }', { i: mine.appPassword.id }, bo);
    expect(errorCode(refused)).toBe('NOT_FOUND');
    expect(refused.data ?? null).toBeNull();
    expect(((await gql(LIST, {}, bo)).data!.appPasswords as unknown[]).length).toBe(0);
    expect(await imapLogin('amy@apps.example', mine.secret)).toBe(true);
  });

  it('ends the live IMAP and POP3 sessions of a revoked app password, and no other', async () => {
    const doomed = await create(amy, 'Old desktop');
    const kept = await create(amy, 'New desktop');
    const flow = imapClient('amy@apps.example', doomed.secret);
    await flow.connect();
    await flow.mailboxOpen('INBOX');
    const closed = new Promise<void>((resolve) => flow.once('close', () => resolve()));
    const keptFlow = imapClient('amy@apps.example', kept.secret);
    await keptFlow.connect();
    const pop3 = await pop3Session('amy@apps.example', doomed.secret);
    expect(pop3.reply).toMatch(/^\+OK/);

    const revoked = await gql('mutation($i: ID!) { revokeAppPassword(id: $i) }', { i: doomed.appPassword.id }, amy);
    expect(revoked.data?.revokeAppPassword).toBe(true);
    await closed;
    expect(flow.usable).toBe(false);
    expect(await pop3.client.line()).toBe('-ERR [AUTH] credentials revoked');
    pop3.client.drop();
    // The other app password's session goes on.
    expect(await keptFlow.status('INBOX', { messages: true })).toMatchObject({ messages: 0 });
    await keptFlow.logout();
    expect(await imapLogin('amy@apps.example', doomed.secret)).toBe(false);
  });
});
