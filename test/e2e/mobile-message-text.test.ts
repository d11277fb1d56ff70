import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, login, smtpDeliver, type GraphqlResult } from './graphql-helpers.js';

const PASSWORD = 'mobile reads 1';

describe('mobile API on its own: a message as text', () => {
  let server: MailhiveProcess;
  let gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;
  let amy: string;
  let bo: string;
  const ids = new Map<string, string>();

  const text = (token: string, id: string, maxBytes?: number) =>
    gql(
      'query($id: ID!, $max: Int) { messageText(id: $id, maxBytes: $max) { id text truncated } }',
      { id, ...(maxBytes ? { max: maxBytes } : {}) },
      token,
    );

  beforeAll(async () => {
    // Only the mobile API: no webmail module to lean on.
    server = await MailhiveProcess.create({ MAILHIVE_MODULES: 'mobile-api' });
    await server.cli('domain', 'add', 'app.example');
    for (const user of ['amy', 'bo']) await server.cli('user', 'add', `${user}@app.example`, '--password', PASSWORD);
    await server.start();
    gql = graphqlClient(server);
    amy = await login(server, 'amy@app.example', PASSWORD);
    bo = await login(server, 'bo@app.example', PASSWORD);
    const state = (await gql('{ syncState }', {}, amy)).data?.syncState as string;
    await smtpDeliver(server, [
      { from: 'x@outside.example', to: 'amy@app.example', subject: 'plain', text: 'Plain words, 中文 too.' },
      { from: 'x@outside.example', to: 'amy@app.example', subject: 'html', html: '<p>Hello <b>there</b></p><script>alert(1)</script>' },
      {
        from: 'x@outside.example',
        to: 'amy@app.example',
        subject: 'both',
        text: 'the text part',
        html: '<p>the html part</p>',
        attachments: [{ filename: 'notes.txt', content: Buffer.from('not the body') }],
      },
      { from: 'x@outside.example', to: 'amy@app.example', subject: 'long', text: 'abcdefghij'.repeat(1000) },
    ]);
    // As an app finds new mail with this module alone: the sync delta, then the compact entries of its ids.
    const delta = await gql('query($since: State!) { changes(since: $since) { created } }', { since: state }, amy);
    const created = delta.data?.changes.created as string[];
    const entries = await gql('query($ids: [ID!]!) { compactMessagesByIds(ids: $ids) { id subject } }', { ids: created }, amy);
    for (const item of entries.data?.compactMessagesByIds as { id: string; subject: string }[]) ids.set(item.subject, item.id);
    expect([...ids.keys()].sort()).toEqual(['both', 'html', 'long', 'plain']);
  }, 60_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('reads the plain text, else the HTML as text, never an attachment', async () => {
    expect((await text(amy, ids.get('plain')!)).data?.messageText).toEqual({
      id: ids.get('plain'),
      text: expect.stringContaining('Plain words, 中文 too.'),
      truncated: false,
    });
    const html = (await text(amy, ids.get('html')!)).data?.messageText.text as string;
    expect(html).toContain('Hello there');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('alert');
    expect((await text(amy, ids.get('both')!)).data?.messageText.text).toContain('the text part');
  });

  it('cuts a long body at maxBytes and says so', async () => {
    const cut = (await text(amy, ids.get('long')!, 100)).data?.messageText;
    expect(cut.truncated).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(100);
    expect((await text(amy, ids.get('long')!)).data?.messageText.truncated).toBe(false);
    expect(errorCode(await text(amy, ids.get('long')!, 2_000_000))).toBe('BAD_USER_INPUT');
  });

  it("tells another user nothing of someone else's message", async () => {
    expect(errorCode(await text(bo, ids.get('plain')!))).toBe('NOT_FOUND');
    expect(errorCode(await text(bo, '999999'))).toBe('NOT_FOUND');
    expect(errorCode(await text(amy, 'x'))).toBe('NOT_FOUND');
    expect(errorCode(await gql('query { messageText(id: "1") { text } }'))).toBe('UNAUTHENTICATED');
  });
});
