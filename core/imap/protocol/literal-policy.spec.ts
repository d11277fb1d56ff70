import { describe, expect, it } from 'vitest';
import { IMAP_LIMITS } from './imap-limits.js';
import type { LiteralRequest } from './imap-stream.js';
import { literalVerdict } from './literal-policy.js';

function request(line: string, fields: Partial<LiteralRequest> = {}): LiteralRequest {
  const words = line.split(' ');
  return {
    tag: words[0],
    verb: words[1].toUpperCase(),
    size: 10,
    nonSync: false,
    index: 0,
    line: Buffer.from(line),
    commandBytes: line.length,
    messages: 0,
    messageBytes: 0,
    ...fields,
  };
}

describe('literalVerdict', () => {
  it('before login allows a LOGIN of a few KiB and no more literals than LOGIN needs', () => {
    expect(literalVerdict(request('a LOGIN {20}\r\n'), false, 1000)).toEqual({ kind: 'argument' });
    expect(literalVerdict(request('a LOGIN {9000}\r\n', { size: 9000 }), false, 1000)).toEqual({
      kind: 'refuse',
      response: `a BAD Command too long (limit ${IMAP_LIMITS.preAuthMaxCommandSize} octets)`,
    });
    expect(literalVerdict(request('a LOGIN {0}\r\n', { index: IMAP_LIMITS.preAuthMaxLiterals }), false, 1000)).toEqual({
      kind: 'refuse',
      response: `a BAD Too many literals in one command (limit ${IMAP_LIMITS.preAuthMaxLiterals})`,
    });
    expect(literalVerdict(request('a APPEND INBOX {10}\r\n'), false, 1000)).toEqual({ kind: 'refuse', response: 'a BAD Log in first' });
  });

  it('after login bounds each argument literal and the whole command', () => {
    expect(literalVerdict(request('a SEARCH TEXT {70000}\r\n', { size: 70000 }), true, 1000)).toEqual({
      kind: 'refuse',
      response: `a BAD Literal too large (limit ${IMAP_LIMITS.maxLiteralSize} octets)`,
    });
    expect(
      literalVerdict(
        request('a SEARCH TEXT {60000}\r\n', { size: 60000, commandBytes: IMAP_LIMITS.maxCommandSize - 1000, index: 20 }),
        true,
        1000,
      ),
    ).toMatchObject({ kind: 'refuse' });
    expect(literalVerdict(request('a SEARCH TEXT {1}\r\n', { index: IMAP_LIMITS.maxLiterals }), true, 1000)).toMatchObject({
      kind: 'refuse',
    });
    expect(literalVerdict(request('a SEARCH TEXT {60000}\r\n', { size: 60000 }), true, 1000)).toEqual({ kind: 'argument' });
  });

  it('tells an APPEND mailbox name from its messages and bounds the messages of one APPEND together', () => {
    const limit = 50 * 1024 * 1024;
    expect(literalVerdict(request('a APPEND {5}\r\n'), true, limit)).toEqual({ kind: 'argument' });
    expect(literalVerdict(request('a APPEND INBOX {40000000}\r\n', { size: 40_000_000 }), true, limit)).toEqual({ kind: 'message' });
    expect(
      literalVerdict(
        request('a APPEND INBOX {40000000}\r\n', { size: 40_000_000, messages: 3, messageBytes: 120_000_000, index: 3 }),
        true,
        limit,
      ),
    ).toEqual({
      kind: 'refuse',
      response: `a NO [TOOBIG] The messages of one APPEND may hold ${IMAP_LIMITS.maxAppendCommandSize} octets together`,
    });
    expect(literalVerdict(request('a APPEND INBOX {1}\r\n', { index: IMAP_LIMITS.maxAppendMessages + 1 }), true, limit)).toMatchObject({
      kind: 'refuse',
    });
  });
});
