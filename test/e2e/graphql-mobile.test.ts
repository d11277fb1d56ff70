import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { RecordingMx } from '../support/recording-mx.js';
import { errorCode, graphqlClient, login, smtpDeliver, type GraphqlResult } from './graphql-helpers.js';

interface MailEvent {
  type: string;
  mailboxId: string;
  messageId: string | null;
}
interface Changes {
  created: string[];
  updated: string[];
  removed: string[];
  mailboxesChanged: string[];
  mailboxesRemoved: string[];
  state: string;
}

/** The same plugin hooks as SMTP submission apply to sendMessage. */
const POLICY_PLUGIN = `
export default {
  name: 'gql-policy',
  hooks: {
    'message.send': (ctx) => (ctx.headers.subject ?? '').includes('EMBARGO') ? { action: 'reject', text: 'embargoed subject' } : undefined,
    'message.deliver': (ctx) => (ctx.headers.subject ?? '').includes('SPAMMY') ? { action: 'quarantine' } : undefined,
  },
};
`;

const CHANGES = 'query($s: State!) { changes(since: $s) { created updated removed mailboxesChanged mailboxesRemoved state } }';
const ATTACHMENT = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31 + 7) & 0xff));

describe('GraphQL sending, push and mobile sync', () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let ann: string;
  let ben: string;
  const clients: Client[] = [];
  const remoteMx = new RecordingMx();
  const remoteMail = remoteMx.received;

  const mailboxId = async (token: string, path: string): Promise<string> =>
    ((await gql('{ mailboxes { id path } }', {}, token)).data?.mailboxes as { id: string; path: string }[]).find((box) => box.path === path)
      ?.id as string;
  const upload = (token: string, body: Buffer, filename: string, type: string) =>
    fetch(
      `http://127.0.0.1:${server.ports.http}/api/webmail/uploads?filename=${encodeURIComponent(filename)}&type=${encodeURIComponent(type)}`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body },
    );
  const send = async (token: string, input: Record<string, unknown>) => {
    const result = await gql(
      'mutation($i: SendMessageInput!) { sendMessage(input: $i) { id mailboxId subject messageId seen to { address } attachments { filename } } }',
      { i: input },
      token,
    );
    expect(result.errors).toBeUndefined();
    return result.data?.sendMessage as { id: string; mailboxId: string; subject: string; messageId: string };
  };
  const changes = async (token: string, since: string): Promise<Changes> => {
    const result = await gql(CHANGES, { s: since }, token);
    expect(result.errors).toBeUndefined();
    return result.data?.changes as Changes;
  };
  const subscribe = async (
    token: string,
  ): Promise<{ events: MailEvent[]; next: (predicate: (event: MailEvent) => boolean) => Promise<MailEvent> }> => {
    const client = createClient({
      url: `ws://127.0.0.1:${server.ports.http}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    const events: MailEvent[] = [];
    const waiters: { predicate: (event: MailEvent) => boolean; resolve: (event: MailEvent) => void }[] = [];
    client.subscribe(
      { query: 'subscription { mailEvents { type mailboxId messageId } }' },
      {
        next: (result) => {
          const event = (result.data as { mailEvents: MailEvent }).mailEvents;
          events.push(event);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(event)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(event);
            }
          }
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      events,
      next: (predicate) => {
        const found = events.find(predicate);
        return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ predicate, resolve }));
      },
    };
  };

  beforeAll(async () => {
    const mxPort = await remoteMx.listen();
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-gql-dns-')), 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        'remote.example': { MX: [{ exchange: 'mx.remote.example', priority: 10 }] },
        'mx.remote.example': { A: ['127.0.0.1'] },
      }),
    );
    const plugin = join(mkdtempSync(join(tmpdir(), 'mailhive-gql-plugin-')), 'policy.mjs');
    writeFileSync(plugin, POLICY_PLUGIN);
    server = await MailhiveProcess.create({
      MAILHIVE_DNS_FIXTURES: fixtures,
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
      MAILHIVE_PLUGINS: plugin,
    });
    await server.start();
    gql = graphqlClient(server);
    expect(await server.cli('domain', 'add', 'mob.example')).toMatchObject({ code: 0 });
    expect(await server.cli('user', 'add', 'ann@mob.example', '--password', 'secret123')).toMatchObject({ code: 0 });
    expect(await server.cli('user', 'add', 'ben@mob.example', '--password', 'secret123')).toMatchObject({ code: 0 });
    ann = await login(server, 'ann@mob.example', 'secret123');
    ben = await login(server, 'ben@mob.example', 'secret123');
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server.destroy();
    await remoteMx.close();
  });

  it("sends with an attachment: pushed to the recipient within a second, in their INBOX and in the sender's Sent", async () => {
    const push = await subscribe(ann);
    const uploaded = await upload(ben, ATTACHMENT, 'данные.bin', 'application/octet-stream');
    expect(uploaded.status).toBe(201);
    const { id: uploadId, size } = (await uploaded.json()) as { id: string; size: number };
    expect(size).toBe(ATTACHMENT.length);
    const started = Date.now();
    const sent = await send(ben, {
      to: [{ name: 'Ann', address: 'ann@mob.example' }],
      subject: 'Hello Ann',
      text: 'first message',
      attachments: [uploadId],
    });
    const annInbox = await mailboxId(ann, 'INBOX');
    const event = await push.next((item) => item.type === 'MESSAGE_ADDED' && item.mailboxId === annInbox);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(sent).toMatchObject({
      mailboxId: await mailboxId(ben, 'Sent'),
      subject: 'Hello Ann',
      seen: true,
      to: [{ address: 'ann@mob.example' }],
      attachments: [{ filename: 'данные.bin' }],
    });

    const received = await gql(
      'query($id: ID!) { message(id: $id) { subject text from { address } messageId attachments { filename url } } }',
      { id: event.messageId },
      ann,
    );
    expect(received.data?.message).toMatchObject({ subject: 'Hello Ann', from: { address: 'ben@mob.example' }, messageId: sent.messageId });
    expect(received.data?.message.text.trim()).toBe('first message');
    const download = await fetch(`http://127.0.0.1:${server.ports.http}${received.data?.message.attachments[0].url}`, {
      headers: { authorization: `Bearer ${ann}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).equals(ATTACHMENT)).toBe(true);
    expect(download.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('данные.bin')}`);
    // An upload is used once: it is gone after sending.
    expect(
      errorCode(
        await gql(
          'mutation($a: [ID!]) { sendMessage(input: { to: [{ address: "ann@mob.example" }], attachments: $a }) { id } }',
          { a: [uploadId] },
          ben,
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('pushes a message delivered over SMTP within a second of the 250', async () => {
    const push = await subscribe(ann);
    const annInbox = await mailboxId(ann, 'INBOX');
    await smtpDeliver(server, [{ from: 'outsider@remote.example', to: 'ann@mob.example', subject: 'Over SMTP', text: 'hi' }]);
    const accepted = Date.now();
    const event = await push.next((item) => item.type === 'MESSAGE_ADDED' && item.mailboxId === annInbox);
    expect(Date.now() - accepted).toBeLessThan(1000);
    const message = await gql('query($id: ID!) { message(id: $id) { subject from { address } } }', { id: event.messageId }, ann);
    expect(message.data?.message).toEqual({ subject: 'Over SMTP', from: { address: 'outsider@remote.example' } });
  });

  it('answers with In-Reply-To/References: the original gets \\Answered and both share a thread', async () => {
    const annInbox = await mailboxId(ann, 'INBOX');
    const original = (
      await gql(
        'query($m: ID!) { messages(mailboxId: $m, query: "subject:\\"Hello Ann\\"") { nodes { id messageId threadId } } }',
        { m: annInbox },
        ann,
      )
    ).data?.messages.nodes[0];
    const reply = await send(ann, {
      to: [{ address: 'ben@mob.example' }],
      subject: 'Re: Hello Ann',
      text: 'reply',
      inReplyTo: original.messageId,
      replyToMessageId: original.id,
    });
    const after = await gql('query($id: ID!) { message(id: $id) { answered threadId } }', { id: original.id }, ann);
    expect(after.data?.message).toEqual({ answered: true, threadId: original.threadId });
    const benInbox = await mailboxId(ben, 'INBOX');
    const inBen = (
      await gql(
        'query($m: ID!) { messages(mailboxId: $m) { nodes { id subject inReplyTo references threadId thread { subject } } } }',
        { m: benInbox },
        ben,
      )
    ).data?.messages.nodes[0];
    expect(inBen).toMatchObject({ subject: 'Re: Hello Ann', inReplyTo: original.messageId, references: [original.messageId] });
    expect(inBen.thread.map((item: { subject: string }) => item.subject)).toEqual(['Hello Ann', 'Re: Hello Ann']);
    expect(reply.subject).toBe('Re: Hello Ann');
  });

  it('queues remote recipients and refuses unknown local ones and oversized uploads', async () => {
    await send(ben, { to: [{ address: 'someone@remote.example' }], cc: [{ address: 'ann@mob.example' }], subject: 'Out', text: 'x' });
    for (let i = 0; i < 100 && remoteMail.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(remoteMail).toHaveLength(1);
    expect(remoteMail[0].to).toEqual(['someone@remote.example']);
    expect(remoteMail[0].raw).toMatch(/^Subject: Out\r?$/m);
    expect(remoteMail[0].raw).toMatch(/^From: ben@mob\.example\r?$/m);
    expect(
      errorCode(await gql('mutation { sendMessage(input: { to: [{ address: "nobody@mob.example" }], subject: "x" }) { id } }', {}, ben)),
    ).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql('mutation { sendMessage(input: { subject: "no recipients" }) { id } }', {}, ben))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql('mutation { sendMessage(input: { to: [{ address: "not an address" }] }) { id } }', {}, ben))).toBe(
      'BAD_USER_INPUT',
    );
    const tooBig = await upload(ben, Buffer.alloc(25 * 1024 * 1024 + 1), 'big.bin', 'application/octet-stream').catch(() => null);
    expect(tooBig === null || tooBig.status === 413).toBe(true);
    expect((await fetch(`http://127.0.0.1:${server.ports.http}/api/webmail/uploads`, { method: 'POST', body: 'x' })).status).toBe(401);
  });

  it('applies the message.send and message.deliver plugin hooks like SMTP submission', async () => {
    const refused = await gql(
      'mutation { sendMessage(input: { to: [{ address: "ann@mob.example" }], subject: "EMBARGO now", text: "x" }) { id } }',
      {},
      ben,
    );
    expect(errorCode(refused)).toBe('REJECTED');
    expect(refused.errors?.[0].message).toBe('embargoed subject');
    await send(ben, { to: [{ address: 'ann@mob.example' }], subject: 'SPAMMY offer', text: 'x' });
    const junk = await mailboxId(ann, 'Junk');
    const inJunk = (await gql('query($m: ID!) { messages(mailboxId: $m) { nodes { subject } } }', { m: junk }, ann)).data?.messages.nodes;
    expect(inJunk).toEqual([{ subject: 'SPAMMY offer' }]);
    const annInbox = await mailboxId(ann, 'INBOX');
    expect(
      (await gql('query($m: ID!) { messages(mailboxId: $m, query: "subject:EMBARGO") { totalCount } }', { m: annInbox }, ann)).data
        ?.messages.totalCount,
    ).toBe(0);
  });

  it('reports created, updated and removed ids since a state, for changes over GraphQL and over IMAP', async () => {
    const annInbox = await mailboxId(ann, 'INBOX');
    const initial = (await gql('{ syncState }', {}, ann)).data?.syncState as string;
    expect(await changes(ann, initial)).toMatchObject({
      created: [],
      updated: [],
      removed: [],
      mailboxesChanged: [],
      mailboxesRemoved: [],
    });

    await send(ben, { to: [{ address: 'ann@mob.example' }], subject: 'Sync A', text: 'a' });
    await send(ben, { to: [{ address: 'ann@mob.example' }], subject: 'Sync B', text: 'b' });
    const page = (await gql('query($m: ID!) { messages(mailboxId: $m, sort: ARRIVAL_ASC) { nodes { id subject } } }', { m: annInbox }, ann))
      .data?.messages.nodes as { id: string; subject: string }[];
    const [hello, syncA, syncB] = [
      page.find((n) => n.subject === 'Hello Ann')!.id,
      page.find((n) => n.subject === 'Sync A')!.id,
      page.find((n) => n.subject === 'Sync B')!.id,
    ];
    await gql('mutation($ids: [ID!]!) { setFlags(input: { ids: $ids, flagged: true }) { id } }', { ids: [hello] }, ann);
    await gql('mutation($ids: [ID!]!) { deleteMessages(ids: $ids) }', { ids: [syncB] }, ann);
    const first = await changes(ann, initial);
    expect(first.created).toContain(syncA);
    expect(first.created).not.toContain(syncB);
    expect(first.updated).toEqual([hello]);
    // Sync B came and went (to Trash) within the window; a client that never saw it just ignores the id.
    expect(first.removed).toEqual([syncB]);
    const trash = await mailboxId(ann, 'Trash');
    expect(first.mailboxesChanged).toEqual(expect.arrayContaining([annInbox, trash]));
    // The deleted message is in Trash under a new id; it was never seen in INBOX by this client, so it is created there.
    const inTrash = (await gql('query($m: ID!) { messages(mailboxId: $m) { nodes { id } } }', { m: trash }, ann)).data?.messages.nodes.map(
      (n: { id: string }) => n.id,
    );
    expect(first.created).toEqual(expect.arrayContaining(inTrash));

    const second = await changes(ann, first.state);
    expect(second).toMatchObject({ created: [], updated: [], removed: [] });

    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'ann@mob.example', pass: 'secret123' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await imap.connect();
    const lock = await imap.getMailboxLock('INBOX');
    try {
      const rows = await gql('query($ids: [ID!]!) { compactMessagesByIds(ids: $ids) { id subject } }', { ids: [syncA] }, ann);
      expect(rows.data?.compactMessagesByIds).toEqual([{ id: syncA, subject: 'Sync A' }]);
      await imap.messageFlagsAdd({ subject: 'Sync A' }, ['\\Seen']);
      await imap.messageDelete({ subject: 'Hello Ann' });
    } finally {
      lock.release();
    }
    await imap.logout();
    const third = await changes(ann, first.state);
    expect(third.updated).toEqual([syncA]);
    expect(third.removed).toEqual([hello]);
    expect(third.created).toEqual([]);
    expect(third.mailboxesChanged).toEqual([annInbox]);

    const created = await gql('mutation { createMailbox(name: "Later") { id } }', {}, ann);
    const fourth = await changes(ann, third.state);
    expect(fourth.mailboxesChanged).toEqual([created.data?.createMailbox.id]);
    await gql('mutation($id: ID!) { deleteMailbox(id: $id) }', { id: created.data?.createMailbox.id }, ann);
    expect((await changes(ann, fourth.state)).mailboxesRemoved).toEqual([created.data?.createMailbox.id]);

    expect(errorCode(await gql(CHANGES, { s: 'garbage' }, ann))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(CHANGES, { s: initial }, ben))).toBe('BAD_USER_INPUT');
  });

  it('pages compact lists newest first', async () => {
    for (let i = 0; i < 5; i++) await send(ben, { to: [{ address: 'ann@mob.example' }], subject: `Compact ${i}`, text: 'c' });
    const annInbox = await mailboxId(ann, 'INBOX');
    const query =
      'query($m: ID!, $after: String) { compactMessages(mailboxId: $m, first: 3, after: $after) { next items { id subject from date flags preview size } } }';
    const first = (await gql(query, { m: annInbox }, ann)).data?.compactMessages;
    expect(first.items.map((item: { subject: string }) => item.subject)).toEqual(['Compact 4', 'Compact 3', 'Compact 2']);
    expect(first.items[0]).toMatchObject({ from: 'ben@mob.example', flags: 0 });
    const second = (await gql(query, { m: annInbox, after: first.next }, ann)).data?.compactMessages;
    expect(second.items.map((item: { subject: string }) => item.subject)).toEqual(['Compact 1', 'Compact 0', 'Sync A']);
    expect(second.items[2].flags & 1).toBe(1);
    expect(errorCode(await gql(query, { m: annInbox }, ben))).toBe('NOT_FOUND');
  });

  it('lists device sessions and signs a device out', async () => {
    const phone = await gql('mutation { mobileLogin(email: "ann@mob.example", password: "secret123", deviceName: "Pixel 9") { token } }');
    const phoneToken = phone.data?.mobileLogin.token as string;
    expect(errorCode(await gql('mutation { mobileLogin(email: "ann@mob.example", password: "wrong", deviceName: "x") { token } }'))).toBe(
      'INVALID_CREDENTIALS',
    );
    const sessions = (await gql('{ deviceSessions { id label current expiresAt } }', {}, phoneToken)).data?.deviceSessions as {
      id: string;
      label: string;
      current: boolean;
    }[];
    expect(sessions.map((session) => [session.label, session.current])).toEqual(
      expect.arrayContaining([
        ['Pixel 9', true],
        ['', false],
      ]),
    );
    const phoneSession = sessions.find((session) => session.label === 'Pixel 9')!;
    expect(errorCode(await gql('mutation($id: ID!) { revokeDeviceSession(id: $id) }', { id: phoneSession.id }, ben))).toBe('NOT_FOUND');
    expect((await gql('mutation($id: ID!) { revokeDeviceSession(id: $id) }', { id: phoneSession.id }, ann)).data?.revokeDeviceSession).toBe(
      true,
    );
    expect(errorCode(await gql('{ syncState }', {}, phoneToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql('{ syncState }', {}, ann))).toBeUndefined();
  });
});
