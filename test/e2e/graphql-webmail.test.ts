import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, smtpDeliver, type GraphqlResult } from './graphql-helpers.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const BINARY = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

describe('GraphQL mail API', () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let alice: string;
  let bob: string;
  let inbox: string;
  const mailboxId = async (token: string, path: string): Promise<string> => {
    const result = await gql('{ mailboxes { id path } }', {}, token);
    return (result.data?.mailboxes as { id: string; path: string }[]).find((box) => box.path === path)?.id as string;
  };
  const list = async (token: string, box: string, args: Record<string, unknown> = {}) => {
    const result = await gql(
      `query($m: ID!, $first: Int, $after: String, $q: String, $sort: MessageSort) {
      messages(mailboxId: $m, first: $first, after: $after, query: $q, sort: $sort) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { id subject from { name address } to { address } date seen flagged answered hasAttachments preview size threadId }
      } }`,
      { m: box, ...args },
      token,
    );
    expect(result.errors).toBeUndefined();
    return result.data?.messages as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: {
        id: string;
        subject: string;
        from: { address: string };
        to: { address: string }[];
        seen: boolean;
        flagged: boolean;
        hasAttachments: boolean;
        date: string;
        threadId: string;
      }[];
    };
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    gql = graphqlClient(server);
    expect(await server.cli('domain', 'add', 'wm.example')).toMatchObject({ code: 0 });
    for (const user of ['alice', 'bob', 'locky'])
      expect(await server.cli('user', 'add', `${user}@wm.example`, '--password', 'secret123')).toMatchObject({ code: 0 });
    alice = await login(server, 'alice@wm.example', 'secret123');
    bob = await login(server, 'bob@wm.example', 'secret123');
    const base = Date.UTC(2026, 0, 1);
    await smtpDeliver(server, [
      ...Array.from({ length: 24 }, (_, i) => ({
        from: i % 2 === 0 ? 'Carol <carol@remote.example>' : 'dave@remote.example',
        to: 'alice@wm.example',
        subject: `Bulk ${i}`,
        text: `number ${i} ${i === 5 ? 'pineapple' : ''}`,
        date: new Date(base + i * 86_400_000),
      })),
      {
        from: 'Erin <erin@remote.example>',
        to: 'Alice <alice@wm.example>',
        cc: 'bob@wm.example',
        subject: 'Report with attachment',
        text: 'plain body',
        date: new Date(base + 40 * 86_400_000),
        html: '<p onclick="steal()">Hello <b>Alice</b><script>alert(1)</script><img src="https://tracker.example/p.gif"><img src="cid:logo@wm"></p>',
        attachments: [
          { filename: 'résumé.bin', content: BINARY, contentType: 'application/octet-stream' },
          { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@wm' },
        ],
      },
    ]);
    inbox = await mailboxId(alice, 'INBOX');
  }, 60_000);

  afterAll(async () => {
    await server.destroy();
  });

  it('logs in with the right password and refuses a wrong one, then locks the account', async () => {
    expect(alice).toMatch(/^[\w-]{40,}$/);
    const wrong = await gql('mutation { login(email: "locky@wm.example", password: "nope") { token } }');
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    for (let i = 0; i < 5; i++) await gql('mutation { login(email: "locky@wm.example", password: "nope") { token } }');
    const locked = await gql('mutation { login(email: "locky@wm.example", password: "secret123") { token } }');
    expect(errorCode(locked)).toBe('LOCKED');
    expect(errorCode(await gql('{ mailboxes { id } }'))).toBe('UNAUTHENTICATED');
  });

  it('lists mailboxes with counters', async () => {
    const result = await gql('{ mailboxes { id name path parentId specialUse unreadCount totalCount size } }', {}, alice);
    const boxes = result.data?.mailboxes as {
      path: string;
      specialUse: string | null;
      unreadCount: number;
      totalCount: number;
      size: number;
    }[];
    expect(boxes.map((box) => box.path)).toEqual(['INBOX', 'Archive', 'Drafts', 'Junk', 'Sent', 'Trash']);
    expect(boxes[0]).toMatchObject({ totalCount: 25, unreadCount: 25 });
    expect(boxes[0].size).toBeGreaterThan(70_000);
    expect(boxes.find((box) => box.path === 'Sent')?.specialUse).toBe('\\Sent');
  });

  it('pages through a mailbox newest first with cursors and a total count', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await list(alice, inbox, { first: 10, after });
      expect(page.totalCount).toBe(25);
      seen.push(...page.nodes.map((node) => node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const all = await list(alice, inbox, { first: 50 });
    expect(all.nodes.map((node) => node.id)).toEqual(seen);
    const dates = all.nodes.map((node) => Date.parse(node.date));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(all.nodes[0]).toMatchObject({
      subject: 'Report with attachment',
      hasAttachments: true,
      from: { address: 'erin@remote.example' },
    });
    const oldest = await list(alice, inbox, { first: 2, sort: 'DATE_ASC' });
    expect(oldest.nodes.map((node) => node.subject)).toEqual(['Bulk 0', 'Bulk 1']);
    expect(errorCode(await gql('query($m: ID!) { messages(mailboxId: $m, after: "bogus") { totalCount } }', { m: inbox }, alice))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await gql('query($m: ID!) { messages(mailboxId: $m, first: 500) { totalCount } }', { m: inbox }, alice))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('searches by sender, recipient, subject, attachment, flags, dates and free text', async () => {
    const count = async (q: string) => (await list(alice, inbox, { q, first: 50 })).totalCount;
    expect(await count('from:carol')).toBe(12);
    expect(await count('from:dave@remote.example')).toBe(12);
    expect(await count('-from:carol')).toBe(13);
    expect(await count('subject:"Bulk 1"')).toBe(11);
    expect(await count('has:attachment')).toBe(1);
    expect(await count('to:alice')).toBe(25);
    expect(await count('cc:bob')).toBe(1);
    expect(await count('to:carol')).toBe(0);
    expect(await count('pineapple')).toBe(1);
    expect(await count('after:2026-01-20 before:2026-01-23')).toBe(3);
    expect(await count('is:unread')).toBe(25);
    const page = await list(alice, inbox, { q: 'from:carol subject:bulk', first: 5 });
    expect(page.nodes).toHaveLength(5);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.nodes.every((node) => node.from.address === 'carol@remote.example')).toBe(true);
    expect(
      errorCode(await gql('query($m: ID!) { messages(mailboxId: $m, query: "before:soon") { totalCount } }', { m: inbox }, alice)),
    ).toBe('BAD_USER_INPUT');
  });

  it('reads a message: addresses, headers, text, sanitised HTML and attachments downloaded byte for byte', async () => {
    const [first] = (await list(alice, inbox, { q: 'has:attachment' })).nodes;
    const result = await gql(
      `query($id: ID!) { message(id: $id) {
      id subject from { name address } to { name address } cc { address } bcc { address } replyTo { address } date
      headers { name value } text html remote: html(allowRemoteImages: true)
      attachments { id filename contentType size contentId url } thread { id } } }`,
      { id: first.id },
      alice,
    );
    expect(result.errors).toBeUndefined();
    const message = result.data?.message;
    expect(message.from).toEqual({ name: 'Erin', address: 'erin@remote.example' });
    expect(message.to).toEqual([{ name: 'Alice', address: 'alice@wm.example' }]);
    expect(message.cc).toEqual([{ address: 'bob@wm.example' }]);
    expect(message.headers.find((header: { name: string }) => header.name === 'Subject').value).toBe('Report with attachment');
    expect(message.text.trim()).toBe('plain body');
    expect(message.html).toContain('<b>Alice</b>');
    expect(message.html).not.toMatch(/script|onclick|tracker\.example\/p\.gif"(?! )|\ssrc="https/);
    expect(message.html).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(message.remote).toContain('src="https://tracker.example/p.gif"');
    expect(message.thread).toEqual([{ id: first.id }]);
    const attachments = message.attachments as {
      id: string;
      filename: string;
      contentType: string;
      size: number;
      contentId: string | null;
      url: string;
    }[];
    expect(attachments.map((item) => [item.filename, item.contentType, item.contentId])).toEqual(
      [
        ['logo.png', 'image/png', 'logo@wm'],
        ['résumé.bin', 'application/octet-stream', null],
      ].sort((a, b) => (a[0] === 'logo.png' ? (b[0] === 'logo.png' ? 0 : attachments[0].filename === 'logo.png' ? -1 : 1) : 0)),
    );
    expect(message.html).toContain(`src="${attachments.find((item) => item.contentId === 'logo@wm')?.url}"`);
    const binary = attachments.find((item) => item.filename === 'résumé.bin');
    expect(binary?.size).toBeGreaterThan(69_000);
    const response = await fetch(`http://127.0.0.1:${server.ports.http}${binary?.url}`, { headers: { authorization: `Bearer ${alice}` } });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(BINARY)).toBe(true);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="r_sum_.bin"; filename*=UTF-8''r%C3%A9sum%C3%A9.bin`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const png = await fetch(`http://127.0.0.1:${server.ports.http}${attachments.find((item) => item.filename === 'logo.png')?.url}`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(Buffer.from(await png.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${server.ports.http}${binary?.url}`)).status).toBe(401);
    expect(
      (await fetch(`http://127.0.0.1:${server.ports.http}${binary?.url}`, { headers: { authorization: `Bearer ${bob}` } })).status,
    ).toBe(404);
    expect(
      (
        await fetch(`http://127.0.0.1:${server.ports.http}/api/webmail/messages/${first.id}/attachments/9`, {
          headers: { authorization: `Bearer ${alice}` },
        })
      ).status,
    ).toBe(404);
  });

  it('sets flags, marks a mailbox read, moves and deletes (to Trash, then for good)', async () => {
    const nodes = (await list(alice, inbox, { q: 'subject:"Bulk 2"', sort: 'DATE_ASC' })).nodes;
    const ids = nodes.map((node) => node.id);
    const flagged = await gql(
      'mutation($ids: [ID!]!) { setFlags(input: { ids: $ids, seen: true, flagged: true, addKeywords: ["$Work"] }) { id seen flagged keywords } }',
      { ids },
      alice,
    );
    expect(flagged.data?.setFlags).toEqual(ids.map((id) => ({ id, seen: true, flagged: true, keywords: ['$Work'] })));
    expect((await list(alice, inbox, { q: 'is:flagged' })).totalCount).toBe(ids.length);
    expect((await list(alice, inbox, { q: 'is:unread' })).totalCount).toBe(25 - ids.length);
    const cleared = await gql(
      'mutation($ids: [ID!]!) { setFlags(input: { ids: $ids, flagged: false, removeKeywords: ["$Work"] }) { flagged seen keywords } }',
      { ids: [ids[0]] },
      alice,
    );
    expect(cleared.data?.setFlags).toEqual([{ flagged: false, seen: true, keywords: [] }]);
    expect(
      errorCode(
        await gql(
          'mutation($ids: [ID!]!) { setFlags(input: { ids: $ids, addKeywords: ["\\\\Deleted"] }) { id } }',
          { ids: [ids[0]] },
          alice,
        ),
      ),
    ).toBe('BAD_USER_INPUT');

    const archive = await mailboxId(alice, 'Archive');
    const moved = await gql(
      'mutation($ids: [ID!]!, $m: ID!) { moveMessages(ids: $ids, mailboxId: $m) { id mailboxId subject seen } }',
      { ids: ids.slice(0, 2), m: archive },
      alice,
    );
    expect(moved.data?.moveMessages).toHaveLength(2);
    expect(moved.data?.moveMessages.every((item: { mailboxId: string; seen: boolean }) => item.mailboxId === archive && item.seen)).toBe(
      true,
    );
    expect(await gql('query($id: ID!) { message(id: $id) { id } }', { id: ids[0] }, alice)).toEqual({ data: { message: null } });

    const movedIds = moved.data?.moveMessages.map((item: { id: string }) => item.id) as string[];
    expect((await gql('mutation($ids: [ID!]!) { deleteMessages(ids: $ids) }', { ids: movedIds }, alice)).data?.deleteMessages).toBe(2);
    const trash = await mailboxId(alice, 'Trash');
    const inTrash = await list(alice, trash);
    expect(inTrash.totalCount).toBe(2);
    expect(
      (await gql('mutation($ids: [ID!]!) { deleteMessages(ids: $ids) }', { ids: inTrash.nodes.map((node) => node.id) }, alice)).data
        ?.deleteMessages,
    ).toBe(2);
    expect((await list(alice, trash)).totalCount).toBe(0);

    const read = await gql('mutation($m: ID!) { markMailboxRead(id: $m) { unreadCount totalCount } }', { m: inbox }, alice);
    expect(read.data?.markMailboxRead).toEqual({ unreadCount: 0, totalCount: 23 });
    expect((await list(alice, inbox, { q: 'is:unread' })).totalCount).toBe(0);
  });

  it('creates, renames and deletes mailboxes', async () => {
    const created = await gql('mutation { createMailbox(name: "Projects") { id name path parentId } }', {}, alice);
    const projects = created.data?.createMailbox;
    expect(projects).toMatchObject({ name: 'Projects', path: 'Projects', parentId: null });
    const child = await gql(
      'mutation($p: ID!) { createMailbox(name: "Zeta", parentId: $p) { id path parentId } }',
      { p: projects.id },
      alice,
    );
    expect(child.data?.createMailbox).toMatchObject({ path: 'Projects/Zeta', parentId: projects.id });
    expect(errorCode(await gql('mutation { createMailbox(name: "Projects") { id } }', {}, alice))).toBe('ALREADY_EXISTS');
    expect(errorCode(await gql('mutation { createMailbox(name: "a/b") { id } }', {}, alice))).toBe('BAD_USER_INPUT');
    const renamed = await gql('mutation($id: ID!) { renameMailbox(id: $id, name: "Work") { id path } }', { id: projects.id }, alice);
    expect(renamed.data?.renameMailbox).toEqual({ id: projects.id, path: 'Work' });
    expect((await gql('{ mailboxes { path } }', {}, alice)).data?.mailboxes.map((box: { path: string }) => box.path)).toContain(
      'Work/Zeta',
    );
    expect(errorCode(await gql('mutation($id: ID!) { deleteMailbox(id: $id) }', { id: projects.id }, alice))).toBe('HAS_CHILDREN');
    expect(
      (await gql('mutation($id: ID!) { deleteMailbox(id: $id) }', { id: child.data?.createMailbox.id }, alice)).data?.deleteMailbox,
    ).toBe(true);
    expect((await gql('mutation($id: ID!) { deleteMailbox(id: $id) }', { id: projects.id }, alice)).data?.deleteMailbox).toBe(true);
    expect(errorCode(await gql('mutation($id: ID!) { deleteMailbox(id: $id) }', { id: inbox }, alice))).toBe('CANNOT');
  });

  it('saves and replaces drafts, with uploaded attachments', async () => {
    const upload = await fetch(`http://127.0.0.1:${server.ports.http}/api/webmail/uploads?filename=notes.txt&type=text/plain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/octet-stream' },
      body: 'draft notes',
    });
    expect(upload.status).toBe(201);
    const { id: uploadId } = (await upload.json()) as { id: string };
    const first = await gql(
      'mutation($a: [ID!]) { saveDraft(input: { to: [{ address: "bob@wm.example" }], subject: "Plan", text: "v1", attachments: $a }) { id mailboxId draft seen subject attachments { filename } } }',
      { a: [uploadId] },
      alice,
    );
    expect(first.errors).toBeUndefined();
    const drafts = await mailboxId(alice, 'Drafts');
    expect(first.data?.saveDraft).toMatchObject({
      mailboxId: drafts,
      draft: true,
      seen: true,
      subject: 'Plan',
      attachments: [{ filename: 'notes.txt' }],
    });
    const second = await gql(
      'mutation($d: ID!) { saveDraft(input: { draftId: $d, to: [{ address: "bob@wm.example" }], subject: "Plan", text: "v2" }) { id text } }',
      { d: first.data?.saveDraft.id },
      alice,
    );
    expect(second.data?.saveDraft.text.trim()).toBe('v2');
    const inDrafts = await list(alice, drafts);
    expect(inDrafts.nodes.map((node) => node.id)).toEqual([second.data?.saveDraft.id]);
  });

  it('creates, lists and revokes app passwords usable over IMAP', async () => {
    const created = await gql('mutation { createAppPassword(label: "Thunderbird") { secret appPassword { id label } } }', {}, alice);
    const { secret, appPassword } = created.data?.createAppPassword as { secret: string; appPassword: { id: string; label: string } };
    expect(appPassword.label).toBe('Thunderbird');
    const listed = await gql('{ appPasswords { id label createdAt } }', {}, alice);
    expect(listed.data?.appPasswords.map((item: { id: string }) => item.id)).toEqual([appPassword.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'alice@wm.example', pass: secret },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await client.connect();
    const status = await client.status('INBOX', { messages: true });
    expect(status && status.messages).toBe(23);
    await client.logout();
    expect(errorCode(await gql('mutation($id: ID!) { revokeAppPassword(id: $id) }', { id: appPassword.id }, bob))).toBe('NOT_FOUND');
    expect((await gql('mutation($id: ID!) { revokeAppPassword(id: $id) }', { id: appPassword.id }, alice)).data?.revokeAppPassword).toBe(
      true,
    );
    expect((await gql('{ appPasswords { id } }', {}, alice)).data?.appPasswords).toEqual([]);
    const refused = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'alice@wm.example', pass: secret },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await expect(refused.connect()).rejects.toThrow();
  });

  it("never lets one user read, flag, move or delete another user's messages or mailboxes", async () => {
    const [target] = (await list(alice, inbox, { first: 1 })).nodes;
    const bobInbox = await mailboxId(bob, 'INBOX');
    expect(await gql('query($id: ID!) { message(id: $id) { id subject } }', { id: target.id }, bob)).toEqual({ data: { message: null } });
    expect(errorCode(await gql('query($m: ID!) { messages(mailboxId: $m) { totalCount } }', { m: inbox }, bob))).toBe('NOT_FOUND');
    expect(
      errorCode(await gql('mutation($ids: [ID!]!) { setFlags(input: { ids: $ids, flagged: true }) { id } }', { ids: [target.id] }, bob)),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await gql(
          'mutation($ids: [ID!]!, $m: ID!) { moveMessages(ids: $ids, mailboxId: $m) { id } }',
          { ids: [target.id], m: bobInbox },
          bob,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await gql(
          'mutation($ids: [ID!]!, $m: ID!) { moveMessages(ids: $ids, mailboxId: $m) { id } }',
          { ids: [target.id], m: bobInbox },
          alice,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(errorCode(await gql('mutation($ids: [ID!]!) { deleteMessages(ids: $ids) }', { ids: [target.id] }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await gql('mutation($m: ID!) { markMailboxRead(id: $m) { id } }', { m: inbox }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await gql('mutation($m: ID!) { deleteMailbox(id: $m) }', { m: inbox }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await gql('mutation($m: ID!) { renameMailbox(id: $m, name: "x") { id } }', { m: inbox }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await gql('query { message(id: "999999") { id } }', {}, bob))).toBeUndefined();
    expect(errorCode(await gql('mutation { setFlags(input: { ids: ["999999"], seen: true }) { id } }', {}, bob))).toBe('NOT_FOUND');
    const after = await gql('query($id: ID!) { message(id: $id) { flagged mailboxId } }', { id: target.id }, alice);
    expect(after.data?.message).toEqual({ flagged: target.flagged, mailboxId: inbox });
  });

  it('refuses too deep or too costly queries and never returns stack traces', async () => {
    const deep = `query($id: ID!) { message(id: $id) { ${'thread { '.repeat(12)}id${' }'.repeat(12)} } }`;
    const tooDeep = await gql(deep, { id: '1' }, alice);
    expect(tooDeep.errors?.[0].message).toMatch(/query depth 14 exceeds the limit of 12/);
    expect(errorCode(tooDeep)).toBe('QUERY_TOO_COMPLEX');
    const costly = `query($m: ID!) { messages(mailboxId: $m, first: 200) { nodes { thread { thread { thread { id subject preview } } } } } }`;
    const tooCostly = await gql(costly, { m: inbox }, alice);
    expect(tooCostly.errors?.[0].message).toMatch(/query cost \d+ exceeds the limit/);
    expect(tooCostly.data).toBeUndefined();
    const bad = await gql('{ mailboxes { nope } }', {}, alice);
    expect(bad.errors?.[0].extensions?.stacktrace).toBeUndefined();
    expect(JSON.stringify(bad)).not.toMatch(/at .*\.js:\d+/);
  });
});
