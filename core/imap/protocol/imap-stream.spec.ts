import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { IMAP_LIMITS } from './imap-limits.js';
import { ImapStream, type LiteralDecision, type LiteralRequest } from './imap-stream.js';
import { framingLimits, literalVerdict } from './literal-policy.js';

function setup(decide: (request: LiteralRequest) => LiteralDecision = () => ({ accept: true }), authenticated = true) {
  const socket = new PassThrough();
  const sent: string[] = [];
  const requests: LiteralRequest[] = [];
  const stream = new ImapStream(
    socket,
    async (request) => {
      requests.push(request);
      return decide(request);
    },
    (text) => sent.push(text),
    () => framingLimits(authenticated),
  );
  return { socket, stream, sent, requests };
}

describe('ImapStream framing', () => {
  it('splits pipelined commands arriving in odd chunks', async () => {
    const { socket, stream } = setup();
    socket.write('A1 NO');
    socket.write('OP\r\nA2 CAPA');
    socket.write('BILITY\r\n');
    expect(await stream.next()).toEqual({ kind: 'command', bytes: Buffer.from('A1 NOOP\r\n') });
    expect(await stream.next()).toEqual({ kind: 'command', bytes: Buffer.from('A2 CAPABILITY\r\n') });
  });

  it('asks for a synchronising literal only after the gate accepted it, and keeps it inline', async () => {
    const { socket, stream, sent, requests } = setup();
    socket.write('A1 LOGIN {3}\r\n');
    const next = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual(['+ Ready for literal data']);
    socket.write('bob "pw"\r\n');
    expect(await next).toEqual({ kind: 'command', bytes: Buffer.from('A1 LOGIN {3}\r\nbob "pw"\r\n') });
    expect(requests[0]).toMatchObject({ tag: 'A1', verb: 'LOGIN', size: 3, nonSync: false, index: 0 });
  });

  it('reads LITERAL+ without a continuation', async () => {
    const { socket, stream, sent } = setup();
    socket.write('A1 APPEND INBOX {5+}\r\nhello\r\n');
    expect(await stream.next()).toEqual({ kind: 'command', bytes: Buffer.from('A1 APPEND INBOX {5+}\r\nhello\r\n') });
    expect(sent).toEqual([]);
  });

  it('refuses a literal before reading it; a refused non-synchronising literal is fatal', async () => {
    const refuse = () => ({ accept: false, response: 'A1 NO [TOOBIG] too big' }) as const;
    const sync = setup(refuse);
    sync.socket.write('A1 APPEND INBOX {999999999}\r\nA2 NOOP\r\n');
    expect(await sync.stream.next()).toEqual({ kind: 'error', response: 'A1 NO [TOOBIG] too big', fatal: false });
    expect(sync.sent).toEqual([]);
    expect(await sync.stream.next()).toEqual({ kind: 'command', bytes: Buffer.from('A2 NOOP\r\n') });
    const nonSync = setup(refuse);
    nonSync.socket.write('A1 APPEND INBOX {999999999+}\r\n');
    expect(await nonSync.stream.next()).toMatchObject({ kind: 'error', fatal: true });
  });

  it('answers an over-long line with its tag and goes on', async () => {
    const { socket, stream } = setup();
    socket.write(`X9 NOOP ${'a'.repeat(IMAP_LIMITS.maxLineLength)}`);
    socket.write(`${'b'.repeat(1000)}\r\nX10 NOOP\r\n`);
    expect(await stream.next()).toEqual({
      kind: 'error',
      response: `X9 BAD Line too long (limit ${IMAP_LIMITS.maxLineLength} octets)`,
      fatal: false,
    });
    expect(await stream.next()).toEqual({ kind: 'command', bytes: Buffer.from('X10 NOOP\r\n') });
  });

  it('reports the end of input', async () => {
    const { socket, stream } = setup();
    socket.end('A1 NOOP\r\n');
    expect(await stream.next()).toMatchObject({ kind: 'command' });
    expect(await stream.next()).toEqual({ kind: 'end' });
  });

  it('counts literals into the command: chained literals before login stop at the budget', async () => {
    const verdict = (request: LiteralRequest): LiteralDecision => {
      const decision = literalVerdict(request, false, 1000);
      return decision.kind === 'refuse' ? { accept: false, response: decision.response } : { accept: true };
    };
    const { socket, stream, sent } = setup(verdict, false);
    socket.write('A1 LOGIN {3000}\r\n');
    const next = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    socket.write(`${'u'.repeat(3000)} {3000}\r\n`);
    await new Promise((resolve) => setImmediate(resolve));
    socket.write(`${'p'.repeat(3000)} {3000}\r\n`);
    expect(await next).toEqual({
      kind: 'error',
      response: `A1 BAD Command too long (limit ${IMAP_LIMITS.preAuthMaxCommandSize} octets)`,
      fatal: false,
    });
    expect(sent).toEqual(['+ Ready for literal data', '+ Ready for literal data']);
    socket.write('A2 NOOP\r\n');
    expect(await stream.next()).toEqual({ kind: 'command', bytes: Buffer.from('A2 NOOP\r\n') });
  });

  it('before login, a line longer than the whole command budget is refused', async () => {
    const { socket, stream } = setup(undefined, false);
    socket.write(`A1 LOGIN ${'a'.repeat(IMAP_LIMITS.preAuthMaxCommandSize)} b\r\nA2 NOOP\r\n`);
    expect(await stream.next()).toEqual({
      kind: 'error',
      response: `A1 BAD Line too long (limit ${IMAP_LIMITS.preAuthMaxCommandSize} octets)`,
      fatal: false,
    });
    expect(await stream.next()).toEqual({ kind: 'command', bytes: Buffer.from('A2 NOOP\r\n') });
  });

  it('an over-long line that announced a non-synchronising literal ends the session (RFC 7888 §4)', async () => {
    const { socket, stream } = setup();
    socket.write(`A1 LOGIN ${'a'.repeat(IMAP_LIMITS.maxLineLength)} {20+}\r\nA2 LOGOUT\r\n...........\r\n`);
    expect(await stream.next()).toMatchObject({ kind: 'error', fatal: true });
  });

  it('treats LITERAL- like LITERAL+: no continuation, and a refusal is fatal', async () => {
    const { socket, stream, sent } = setup(() => ({ accept: false, response: 'A1 BAD no' }));
    socket.write('A1 LOGIN {5-}\r\nA2 NOOP\r\n');
    expect(await stream.next()).toEqual({ kind: 'error', response: 'A1 BAD no', fatal: true });
    expect(sent).toEqual([]);
  });

  it('copies a line sent one octet at a time a bounded number of times, not once per octet', async () => {
    const { socket, stream } = setup();
    const line = `A1 NOOP ${'x'.repeat(16 * 1024)}\r\n`;
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const next = stream.next();
      for (let i = 0; i < line.length; i++) {
        // Each octet is its own arrival, handled before the next one comes.
        socket.write(line[i]);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await next).toMatchObject({ kind: 'command' });
      const copied = concat.mock.calls.reduce((sum, [list]) => sum + list.reduce((bytes, chunk) => bytes + chunk.length, 0), 0);
      expect(copied).toBeLessThan(4 * line.length);
    } finally {
      concat.mockRestore();
    }
  });
});
