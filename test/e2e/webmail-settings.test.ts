import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, type GraphqlResult } from './graphql-helpers.js';

const PASSWORD = 'settings pass 1';
const SETTINGS = `{ language timeZone density readingPane conversationView signatures { id name text }
  identities { address name signatureId } sendableAddresses }`;

describe('webmail settings over GraphQL: own account only, sending identities enforced on send', () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let ann: string;
  let ben: string;

  const settings = async (token: string) => {
    const result = await gql(`{ mailSettings ${SETTINGS} }`, {}, token);
    expect(result.errors).toBeUndefined();
    return result.data?.mailSettings as Record<string, unknown>;
  };
  const update = (token: string, input: Record<string, unknown>) =>
    gql(`mutation($input: MailSettingsInput!) { updateMailSettings(input: $input) ${SETTINGS} }`, { input }, token);
  const inboxSenders = async (token: string): Promise<string[]> => {
    const boxes = await gql('{ mailboxes { id path } }', {}, token);
    const inbox = (boxes.data?.mailboxes as { id: string; path: string }[]).find((box) => box.path === 'INBOX')?.id;
    const list = await gql(
      'query($m: ID!) { messages(mailboxId: $m, first: 50) { nodes { subject from { name address } } } }',
      { m: inbox },
      token,
    );
    return (list.data?.messages.nodes as { subject: string; from: { name: string; address: string } }[]).map(
      (node) => `${node.from.name} <${node.from.address}> ${node.subject}`,
    );
  };
  const send = (token: string, input: Record<string, unknown>) =>
    gql('mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input }, token);

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.cli('domain', 'add', 'set.example');
    for (const user of ['ann', 'ben']) await server.cli('user', 'add', `${user}@set.example`, '--password', PASSWORD);
    await server.cli('alias', 'add', 'sales@set.example', 'ann@set.example');
    await server.cli('alias', 'add', 'benny@set.example', 'ben@set.example');
    await server.cli('alias', 'add', 'team@set.example', 'ann@set.example', 'ben@set.example');
    await server.start();
    gql = graphqlClient(server);
    ann = await login(server, 'ann@set.example', PASSWORD);
    ben = await login(server, 'ben@set.example', PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('starts from the defaults and lists only the addresses the user may send as', async () => {
    expect(await settings(ann)).toEqual({
      language: null,
      timeZone: null,
      density: 'COMFORTABLE',
      readingPane: 'RIGHT',
      conversationView: false,
      signatures: [],
      identities: [],
      // Not team@ (a list of two people) and not benny@ (someone else's alias).
      sendableAddresses: ['ann@set.example', 'sales@set.example'],
    });
    expect(errorCode(await gql(`{ mailSettings ${SETTINGS} }`))).toBe('UNAUTHENTICATED');
  });

  it("keeps each user's settings to themselves", async () => {
    const result = await update(ann, {
      language: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      density: 'COMPACT',
      readingPane: 'OFF',
      conversationView: true,
      signatures: [{ id: 'work', name: 'Work', text: '-- \nAnn, Sales' }],
      identities: [{ address: 'Sales@set.example', name: 'Ann from Sales', signatureId: 'work' }],
    });
    expect(result.errors).toBeUndefined();
    const stored = await settings(ann);
    expect(stored).toMatchObject({
      language: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      density: 'COMPACT',
      readingPane: 'OFF',
      conversationView: true,
      signatures: [{ id: 'work', name: 'Work', text: '-- \nAnn, Sales' }],
      identities: [{ address: 'sales@set.example', name: 'Ann from Sales', signatureId: 'work' }],
    });
    // Only the fields given change; null puts the language back to "the browser's".
    expect((await update(ann, { language: null })).errors).toBeUndefined();
    expect(await settings(ann)).toMatchObject({ language: null, timeZone: 'Asia/Shanghai', density: 'COMPACT' });
    expect(await settings(ben)).toMatchObject({ language: null, density: 'COMFORTABLE', signatures: [], identities: [] });
  });

  it('refuses settings that are not valid, naming what is wrong', async () => {
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ timeZone: 'Mars/Olympus_Mons' }, /not a time zone/],
      [{ language: 'fr' }, /language must be one of/],
      [{ identities: [{ address: 'benny@set.example' }] }, /cannot send as benny@set.example/],
      [{ identities: [{ address: 'team@set.example' }] }, /cannot send as team@set.example/],
      [{ signatures: Array.from({ length: 11 }, (_, index) => ({ id: `s${index}`, name: 'S', text: '' })) }, /at most 10 signatures/],
      [{ signatures: [{ id: 'x', name: 'X', text: 'x'.repeat(10_001) }] }, /at most 10000 characters/],
    ];
    for (const [input, message] of refusals) {
      const result = await update(ann, input);
      expect(errorCode(result), JSON.stringify(input).slice(0, 80)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    expect(await settings(ann)).toMatchObject({ timeZone: 'Asia/Shanghai', identities: [{ address: 'sales@set.example' }] });
  });

  it('changes the display name the mail goes out with', async () => {
    const result = await gql('mutation { setDisplayName(displayName: "  Ann Example ") { address displayName } }', {}, ann);
    expect(result.data?.setDisplayName).toEqual({ address: 'ann@set.example', displayName: 'Ann Example' });
    expect((await gql('{ me { displayName } }', {}, ann)).data?.me.displayName).toBe('Ann Example');
    expect(errorCode(await gql('mutation { setDisplayName(displayName: "Ann\\r\\nBcc: x@y.example") { id } }', {}, ann))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await gql('mutation { setDisplayName(displayName: "x") { id } }'))).toBe('UNAUTHENTICATED');
  });

  it('sends as an alias of the user, and refuses a From the user does not own', async () => {
    const to = [{ address: 'ben@set.example' }];
    expect((await send(ann, { to, subject: 'Plain', text: 'from my own address' })).errors).toBeUndefined();
    const asAlias = await send(ann, {
      to,
      subject: 'As sales',
      text: 'hello',
      from: { name: 'Ann from Sales', address: 'sales@set.example' },
    });
    expect(asAlias.errors).toBeUndefined();

    for (const forged of ['benny@set.example', 'ben@set.example', 'team@set.example', 'ceo@elsewhere.example']) {
      const result = await send(ann, { to, subject: `Forged ${forged}`, text: 'x', from: { address: forged } });
      expect(errorCode(result), forged).toBe('FORBIDDEN');
      const draft = await gql(
        'mutation($input: DraftInput!) { saveDraft(input: $input) { id } }',
        { input: { subject: 'Forged draft', from: { address: forged } } },
        ann,
      );
      expect(errorCode(draft), forged).toBe('FORBIDDEN');
    }

    await expect.poll(() => inboxSenders(ben), { timeout: 10_000 }).toHaveLength(2);
    expect((await inboxSenders(ben)).sort()).toEqual([
      'Ann Example <ann@set.example> Plain',
      'Ann from Sales <sales@set.example> As sales',
    ]);
  });

  it('ends every other session when the password changes', async () => {
    const other = await login(server, 'ann@set.example', PASSWORD);
    const result = await gql('mutation { changePassword(currentPassword: "settings pass 1", newPassword: "a new pass 22") }', {}, ann);
    expect(result.data?.changePassword).toBe(true);
    expect(errorCode(await gql('{ me { id } }', {}, other))).toBe('UNAUTHENTICATED');
    expect((await gql('{ me { address } }', {}, ann)).data?.me.address).toBe('ann@set.example');
  });
});
