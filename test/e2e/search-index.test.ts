import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { graphqlClient, login, smtpDeliver, type GraphqlResult } from './graphql-helpers.js';
import { startImapServer } from './imap-wire.js';

/** Searches answered through the search index: IMAP SEARCH (imapflow) and GraphQL messages(query:). */
describe('full-text search', () => {
  let server: MailhiveProcess;
  let imap: ImapFlow;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let ann: string;
  let bob: string;

  const inboxOf = async (token: string): Promise<string> => {
    const result = await gql('{ mailboxes { id path } }', {}, token);
    return (result.data?.mailboxes as { id: string; path: string }[]).find((box) => box.path === 'INBOX')?.id as string;
  };
  const subjects = async (token: string, q: string): Promise<string[]> => {
    const result = await gql(
      'query($m: ID!, $q: String) { messages(mailboxId: $m, first: 50, query: $q) { totalCount nodes { subject } } }',
      { m: await inboxOf(token), q },
      token,
    );
    expect(result.errors).toBeUndefined();
    const messages = result.data?.messages as { totalCount: number; nodes: { subject: string }[] };
    expect(messages.totalCount).toBe(messages.nodes.length);
    return messages.nodes.map((node) => node.subject).sort();
  };
  const uidSearch = async (query: Record<string, unknown>): Promise<number[]> => ((await imap.search(query, { uid: true })) || []).sort();

  beforeAll(async () => {
    server = await startImapServer(['ann@fts.example', 'bob@fts.example']);
    gql = graphqlClient(server);
    await smtpDeliver(server, [
      { from: 'Carol <carol@remote.example>', to: 'ann@fts.example', subject: 'Quarterly report', text: 'We meet at the Zürich office.' },
      { from: 'Li Lei <li@remote.example>', to: 'ann@fts.example', subject: '会议通知', text: '我们明天在北京开会' },
      {
        from: 'Dave <dave@remote.example>',
        to: 'ann@fts.example',
        subject: 'Lunch',
        html: '<p>A <b>pineapple</b> pizza on Friday</p>',
      },
      { from: 'Carol <carol@remote.example>', to: 'bob@fts.example', subject: 'Bob only', text: 'pineapple 北京 quarterly' },
    ]);
    ann = await login(server, 'ann@fts.example', 'secret123');
    bob = await login(server, 'bob@fts.example', 'secret123');
    imap = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'ann@fts.example', pass: 'secret123' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await imap.connect();
    await imap.mailboxOpen('INBOX');
  });

  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await server.destroy();
  });

  it('finds Chinese words written without spaces, by bigram and by single character, over GraphQL and IMAP', async () => {
    expect(await subjects(ann, '北京')).toEqual(['会议通知']);
    expect(await subjects(ann, '开会')).toEqual(['会议通知']);
    expect(await subjects(ann, '明天在北京')).toEqual(['会议通知']);
    expect(await subjects(ann, '会')).toEqual(['会议通知']);
    expect(await subjects(ann, '北海')).toEqual([]);
    expect(await subjects(ann, 'subject:会议')).toEqual(['会议通知']);
    const [chinese] = await uidSearch({ subject: '会议' });
    expect(await uidSearch({ body: '北京' })).toEqual([chinese]);
    expect(await uidSearch({ text: '开会' })).toEqual([chinese]);
    expect(await uidSearch({ body: '京开' })).toEqual([chinese]);
    expect(await uidSearch({ body: '北海' })).toEqual([]);
  });

  it('keeps substring semantics: part of a word, any case, several words, HTML bodies as text', async () => {
    expect(await subjects(ann, 'arterly')).toEqual(['Quarterly report']);
    expect(await subjects(ann, 'QUARTERLY')).toEqual(['Quarterly report']);
    expect(await subjects(ann, '"the Zürich off"')).toEqual(['Quarterly report']);
    expect(await subjects(ann, 'pineapple')).toEqual(['Lunch']);
    expect(await subjects(ann, 'from:carol')).toEqual(['Quarterly report']);
    expect(await subjects(ann, 'from:carol pineapple')).toEqual([]);
    // One letter: the index cannot narrow it, every message is tested.
    expect(await subjects(ann, 'z')).toEqual(['Lunch', 'Quarterly report']);
    expect(await subjects(ann, '-pineapple')).toEqual(['Quarterly report', '会议通知']);
    const [report] = await uidSearch({ subject: 'quarterly' });
    const [lunch] = await uidSearch({ from: 'dave' });
    expect(await uidSearch({ body: 'ZÜRICH OFF' })).toEqual([report]);
    expect(await uidSearch({ text: 'uarter' })).toEqual([report]);
    expect(await uidSearch({ body: 'pineapple pizza' })).toEqual([lunch]);
    expect(await uidSearch({ body: 'pineapple', from: 'carol' })).toEqual([]);
    expect(await uidSearch({ or: [{ body: 'pineapple' }, { from: 'carol' }] })).toEqual([report, lunch].sort());
    expect(await uidSearch({ not: { body: 'pineapple' } })).toHaveLength(2);
  });

  it('indexes APPENDed messages and COPY copies, and forgets expunged ones', async () => {
    const appended = await imap.append('INBOX', 'From: ann@fts.example\r\nSubject: Note\r\n\r\nbuy kumquats\r\n');
    expect(await uidSearch({ body: 'kumquat' })).toEqual([appended && appended.uid]);
    expect(await subjects(ann, 'kumquat')).toEqual(['Note']);
    await imap.mailboxCreate('Kept');
    await imap.messageCopy(String(appended && appended.uid), 'Kept', { uid: true });
    await imap.messageFlagsAdd({ body: 'kumquat' }, ['\\Deleted'], { uid: true });
    await imap.messageDelete({ body: 'kumquat' }, { uid: true });
    expect(await uidSearch({ body: 'kumquat' })).toEqual([]);
    expect(await subjects(ann, 'kumquat')).toEqual([]);
    await imap.mailboxOpen('Kept');
    expect(await uidSearch({ body: 'kumquat' })).toHaveLength(1);
    await imap.mailboxOpen('INBOX');
  });

  it('pages a search in arrival order by cursor', async () => {
    const page = async (after: string | null) => {
      const result = await gql(
        `query($m: ID!, $after: String) { messages(mailboxId: $m, first: 1, after: $after, query: "remote", sort: ARRIVAL_ASC) {
          nodes { subject } pageInfo { hasNextPage endCursor } } }`,
        { m: await inboxOf(ann), after },
        ann,
      );
      expect(result.errors).toBeUndefined();
      return result.data?.messages as { nodes: { subject: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const current = await page(cursor);
      seen.push(...current.nodes.map((node) => node.subject));
      if (!current.pageInfo.hasNextPage) break;
      cursor = current.pageInfo.endCursor;
    }
    expect(seen).toEqual(['Quarterly report', '会议通知', 'Lunch']);
  });

  it("never finds another user's messages", async () => {
    expect(await subjects(bob, 'pineapple')).toEqual(['Bob only']);
    expect(await subjects(bob, '北京')).toEqual(['Bob only']);
    expect(await subjects(ann, 'bob only')).toEqual([]);
    expect(await uidSearch({ body: 'quarterly' })).toEqual([]);
    // Ann's mailbox id in Bob's hands is someone else's mailbox: refused, nothing listed.
    const result = await gql(
      'query($m: ID!) { messages(mailboxId: $m, query: "pineapple") { totalCount } }',
      { m: await inboxOf(ann) },
      bob,
    );
    expect(result.data?.messages).toBeFalsy();
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
