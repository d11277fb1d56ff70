import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.loader.js';
import { POP3_COMMANDS } from './commands/index.js';
import type { Pop3Backend, Pop3Content } from './pop3-backend.js';
import { Pop3SessionState, type Pop3Context } from './pop3-command.js';
import { Pop3Dispatcher } from './pop3-dispatcher.js';
import { pop3Octets } from './pop3-encoder.js';
import { Pop3Maildrop, type MaildropMessage } from './pop3-maildrop.js';
import { formatReply, type Pop3Reply } from './pop3-reply.js';

/** An in-memory maildrop behind the typed backend: the protocol layer on its own, as style.md asks. */
function memoryBackend(raws: string[]): Pop3Backend & { committed: { expunge: number[]; seen: number[] } | null } {
  const blobs = new Map(raws.map((raw, i) => [`blob${i}`, Buffer.from(raw)]));
  const backend = {
    committed: null as { expunge: number[]; seen: number[] } | null,
    authenticate: async (username: string, password: string) =>
      password === 'good'
        ? { ok: true as const, accountId: 1, address: username, credentialId: null }
        : { ok: false as const, reason: 'invalid' as const },
    openMaildrop: async (_accountId: number, owner: string) => ({
      ok: true as const,
      maildrop: new Pop3Maildrop(
        1,
        1,
        777,
        { name: 'x', owner },
        raws.map((raw, i): MaildropMessage => ({
          number: i + 1,
          messageId: 100 + i,
          uid: 10 + i,
          blobId: `blob${i}`,
          storedSize: raw.length,
          octets: null,
          deleted: false,
          retrieved: false,
        })),
      ),
    }),
    lockTtlMs: () => 60_000,
    renewLock: async () => true,
    closeMaildrop: async (_maildrop: Pop3Maildrop, commit: { expunge: number[]; seen: number[] } | null) => {
      backend.committed = commit;
      return { expunged: commit?.expunge.length ?? 0 };
    },
    measure: async (messages: readonly MaildropMessage[]) => {
      for (const message of messages) message.octets = pop3Octets(blobs.get(message.blobId)!);
    },
    contents: async (messages: readonly MaildropMessage[]): Promise<Pop3Content[]> =>
      messages.map((message) => ({ kind: 'buffer', raw: blobs.get(message.blobId)! })),
  };
  return backend;
}

async function transcript(lines: string[], env: Record<string, string> = {}, remote = '127.0.0.1') {
  const backend = memoryBackend(['Subject: one\r\n\r\nbody\r\n', 'Subject: two\n\n.dot\n']);
  const context: Pop3Context = {
    session: new Pop3SessionState('t', remote, false),
    backend,
    config: loadConfig({ MAILHIVE_DATA_DIR: '/tmp/unused', ...env }),
    log: pino({ level: 'silent' }),
  };
  const dispatcher = new Pop3Dispatcher(POP3_COMMANDS);
  const out: string[] = [];
  let pending: ((line: string) => Promise<Pop3Reply>) | null = null;
  for (const line of lines) {
    const reply: Pop3Reply = pending ? await pending(line) : await dispatcher.dispatch(context, line);
    pending = reply.kind === 'challenge' ? reply.next : null;
    out.push(formatReply(reply) + (reply.kind === 'ok' && reply.body ? `${(reply.body as Buffer).toString()}.\r\n` : ''));
  }
  return { out, backend, context };
}

describe('POP3 dispatcher and commands', () => {
  it('runs a whole RFC 1939 session', async () => {
    const { out, backend } = await transcript([
      'USER ann@x.example',
      'PASS good',
      'STAT',
      'LIST',
      'UIDL 2',
      'RETR 2',
      'DELE 1',
      'LIST 1',
      'QUIT',
    ]);
    expect(out).toEqual([
      '+OK send PASS\r\n',
      '+OK maildrop has 2 messages\r\n',
      '+OK 2 44\r\n',
      '+OK 2 messages (44 octets)\r\n1 22\r\n2 22\r\n.\r\n',
      '+OK 2 777.11\r\n',
      '+OK 22 octets\r\nSubject: two\r\n\r\n..dot\r\n.\r\n',
      '+OK message 1 deleted\r\n',
      '-ERR message 1 already deleted\r\n',
      '+OK bye (1 messages deleted)\r\n',
    ]);
    expect(backend.committed).toEqual({ expunge: [10], seen: [] });
  });

  it('checks states and arguments before a command runs', async () => {
    const { out } = await transcript([
      'RETR 1',
      'NOOP',
      'USER a@x.example',
      'PASS good',
      'PASS again',
      'RETR',
      'RETR 1 2',
      'TOP 1 -1',
      'NOOP x',
      'XYZZY',
      '',
    ]);
    expect(out).toEqual([
      '-ERR RETR not allowed before login\r\n',
      '-ERR NOOP not allowed before login\r\n',
      '+OK send PASS\r\n',
      '+OK maildrop has 2 messages\r\n',
      '-ERR PASS not allowed after login\r\n',
      '-ERR one message number expected\r\n',
      '-ERR one message number expected\r\n',
      '-ERR "-1" is not a line count\r\n',
      '-ERR this command takes no arguments\r\n',
      '-ERR unknown command XYZZY\r\n',
      '-ERR malformed command\r\n',
    ]);
  });

  it('AUTH PLAIN: initial response, "=" for empty, continuation, authzid of another user refused', async () => {
    const token = (s: string) => Buffer.from(s).toString('base64');
    expect((await transcript([`AUTH PLAIN ${token('\0ann@x.example\0good')}`])).out).toEqual(['+OK maildrop has 2 messages\r\n']);
    expect((await transcript(['AUTH PLAIN =', 'auth plain', token('\0ann@x.example\0good')])).out).toEqual([
      '-ERR [AUTH] malformed PLAIN response\r\n',
      '+ \r\n',
      '+OK maildrop has 2 messages\r\n',
    ]);
    expect((await transcript([`AUTH PLAIN ${token('bob@x.example\0ann@x.example\0good')}`])).out).toEqual([
      '-ERR [AUTH] acting as another user is not allowed\r\n',
    ]);
    expect((await transcript(['AUTH PLAIN not*base64'])).out).toEqual(['-ERR invalid base64 in the SASL response\r\n']);
    expect((await transcript(['AUTH CRAM-MD5'])).out).toEqual(['-ERR mechanism CRAM-MD5 is not supported, use PLAIN\r\n']);
  });

  it('offers USER and SASL only where plaintext authentication is allowed', async () => {
    const remote = await transcript(['CAPA', 'USER a@x.example'], {}, '192.0.2.7');
    expect(remote.out[0]).not.toMatch(/^USER\r$/m);
    expect(remote.out[0]).toMatch(/^STLS\r$/m);
    expect(remote.out[1]).toBe('-ERR [AUTH] plaintext authentication is not allowed without TLS, use STLS first\r\n');
    const local = await transcript(['CAPA'], { MAILHIVE_POP3_LOGIN_DELAY_SECONDS: '900', MAILHIVE_POP3_EXPIRE: '30' });
    expect(local.out[0]).toBe(
      '+OK capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nSTLS\r\n' +
        'USER\r\nSASL PLAIN\r\nEXPIRE 30\r\nLOGIN-DELAY 900\r\nIMPLEMENTATION Mailhive\r\n.\r\n',
    );
    const open = await transcript(['CAPA'], { MAILHIVE_POP3_PLAINTEXT_AUTH: 'always' }, '192.0.2.7');
    expect(open.out[0]).toMatch(/^USER\r$/m);
  });

  it('RSET unmarks, QUIT commits RETRieved messages as \\Seen when configured', async () => {
    const { out, backend } = await transcript(['USER a@x.example', 'PASS good', 'DELE 2', 'RSET', 'RETR 1', 'TOP 2 0', 'QUIT'], {
      MAILHIVE_POP3_RETR_MARKS_SEEN: 'true',
    });
    expect(out[3]).toBe('+OK maildrop has 2 messages\r\n');
    expect(out[5]).toBe('+OK top of message follows\r\nSubject: two\r\n\r\n.\r\n');
    expect(backend.committed).toEqual({ expunge: [], seen: [10] });
  });
});
