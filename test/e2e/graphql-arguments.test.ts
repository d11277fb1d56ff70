import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, smtpDeliver, type GraphqlResult } from './graphql-helpers.js';

const USER = 'args@limits.example';
const PEER = 'peer@limits.example';
const PASSWORD = 'bounded args 7';

/**
 * Every GraphQL argument whose size a client controls has a bound: a refusal is BAD_USER_INPUT with the limit in
 * its message, and nothing is stored, sent or changed.
 */
describe('GraphQL argument limits', () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let token: string;
  let inbox: string;

  const mailboxes = async (): Promise<{ id: string; path: string; totalCount: number }[]> =>
    (await gql('{ mailboxes { id path totalCount } }', {}, token)).data?.mailboxes as { id: string; path: string; totalCount: number }[];
  const search = async (query: string): Promise<GraphqlResult> =>
    gql(
      'query($m: ID!, $q: String) { messages(mailboxId: $m, query: $q, first: 50) { nodes { subject } } }',
      { m: inbox, q: query },
      token,
    );
  const subjects = async (query: string): Promise<string[]> => {
    const result = await search(query);
    expect(result.errors).toBeUndefined();
    return (result.data?.messages.nodes as { subject: string }[]).map((node) => node.subject).sort();
  };
  const refusal = (result: GraphqlResult): { code: string | undefined; message: string | undefined } => ({
    code: errorCode(result),
    message: result.errors?.[0]?.message,
  });

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    gql = graphqlClient(server);
    expect(await server.cli('domain', 'add', 'limits.example')).toMatchObject({ code: 0 });
    for (const user of [USER, PEER]) expect(await server.cli('user', 'add', user, '--password', PASSWORD)).toMatchObject({ code: 0 });
    token = await login(server, USER, PASSWORD);
    await smtpDeliver(
      server,
      ['100% done', '1000 done', 'path C:\\temp\\new', 'path C:tempnew'].map((subject) => ({
        from: 'someone@outside.example',
        to: USER,
        subject,
        text: 'body',
      })),
    );
    inbox = (await mailboxes()).find((box) => box.path === 'INBOX')?.id as string;
  }, 60_000);

  afterAll(async () => {
    await server.destroy();
  });

  it('searches %, _ and \\ as literal characters, never as LIKE wildcards or escapes', async () => {
    expect(await subjects('subject:100%')).toEqual(['100% done']);
    expect(await subjects('subject:_00')).toEqual([]);
    expect(await subjects('subject:%')).toEqual(['100% done']);
    expect(await subjects('subject:"C:\\temp"')).toEqual(['path C:\\temp\\new']);
    expect(await subjects('-subject:% done')).toEqual(['1000 done']);
  });

  it('refuses a search query or term over its limit, and hostile punctuation within it is plain text', async () => {
    expect(refusal(await search('x'.repeat(1001)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'a search query has at most 1000 characters',
    });
    expect(refusal(await search(`subject:${'%a'.repeat(101)}`))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'a search term has at most 200 characters',
    });
    // 40,000 quotes are 80 KB of JSON, inside the HTTP body limit, so the parser is what refuses them.
    expect(refusal(await search('"'.repeat(40_000)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'a search query has at most 1000 characters',
    });
    expect(await subjects('"'.repeat(1000))).toHaveLength(4);
    expect(await subjects(`${'('.repeat(100)} ${':'.repeat(100)}`)).toEqual([]);
  });

  it('refuses oversized compose, flag, mailbox, paging and login arguments, and nothing changes', async () => {
    const before = await mailboxes();
    const peerToken = await login(server, PEER, PASSWORD);
    const peerInbox = async () =>
      ((await gql('{ mailboxes { path totalCount } }', {}, peerToken)).data?.mailboxes as { path: string; totalCount: number }[]).find(
        (box) => box.path === 'INBOX',
      )?.totalCount;
    expect(await peerInbox()).toBe(0);

    const send = 'mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }';
    const draft = 'mutation($i: DraftInput!) { saveDraft(input: $i) { id } }';
    expect(refusal(await gql(send, { i: { to: [{ address: PEER }], subject: 's'.repeat(1001), text: 'hi' } }, token))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'subject may have at most 1000 characters',
    });
    // One address 101 times: duplicates count, since each one is parsed before they are merged.
    expect(
      refusal(await gql(draft, { i: { to: Array.from({ length: 101 }, () => ({ address: PEER })), subject: 'many' } }, token)),
    ).toEqual({ code: 'BAD_USER_INPUT', message: 'to, cc and bcc may have at most 100 addresses together' });
    expect(refusal(await gql(draft, { i: { to: [{ address: PEER, name: 'n'.repeat(201) }] } }, token))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'a display name may have at most 200 characters',
    });
    expect(
      refusal(await gql(draft, { i: { references: Array.from({ length: 101 }, (_, i) => `<r${i}@limits.example>`) } }, token)),
    ).toEqual({ code: 'BAD_USER_INPUT', message: 'references may have at most 100 items' });

    const first = (await gql('query($m: ID!) { messages(mailboxId: $m, first: 1) { nodes { id seen keywords } } }', { m: inbox }, token))
      .data?.messages.nodes[0] as { id: string; seen: boolean; keywords: string[] };
    const keywords = Array.from({ length: 51 }, (_, i) => `k${i}`);
    expect(
      refusal(
        await gql(
          'mutation($i: SetFlagsInput!) { setFlags(input: $i) { id } }',
          { i: { ids: [first.id], seen: true, addKeywords: keywords } },
          token,
        ),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', message: 'addKeywords may have at most 50 items' });
    expect(
      refusal(
        await gql(
          'mutation($i: SetFlagsInput!) { setFlags(input: $i) { id } }',
          { i: { ids: [first.id], seen: true, addKeywords: ['k'.repeat(50_000)] } },
          token,
        ),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', message: 'a keyword may have at most 100 characters' });

    expect(refusal(await gql('mutation($n: String!) { createMailbox(name: $n) { id } }', { n: 'm'.repeat(256) }, token))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'a mailbox name may have at most 255 characters',
    });
    expect(errorCode(await gql('query($m: ID!) { messages(mailboxId: $m, first: 201) { nodes { id } } }', { m: inbox }, token))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      refusal(
        await gql(
          'query($m: ID!, $a: String) { messages(mailboxId: $m, after: $a) { nodes { id } } }',
          { m: inbox, a: 'A'.repeat(300) },
          token,
        ),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', message: 'after may have at most 200 characters' });
    expect(
      refusal(
        await gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: USER, p: 'p'.repeat(1025) }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', message: 'password may have at most 1024 characters' });
    expect(
      refusal(
        await gql('mutation($e: String!, $p: String!, $d: String!) { mobileLogin(email: $e, password: $p, deviceName: $d) { token } }', {
          e: `${'e'.repeat(250)}@x.example`,
          p: PASSWORD,
          d: 'phone',
        }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', message: 'email may have at most 254 characters' });

    // Nothing was sent, saved, flagged or created, and the right password still works: no lockout was counted.
    expect(await mailboxes()).toEqual(before);
    expect(await peerInbox()).toBe(0);
    const after = (await gql('query($m: ID!) { messages(mailboxId: $m, first: 1) { nodes { id seen keywords } } }', { m: inbox }, token))
      .data?.messages.nodes[0];
    expect(after).toEqual(first);
    expect(typeof (await login(server, USER, PASSWORD))).toBe('string');
  });
});
