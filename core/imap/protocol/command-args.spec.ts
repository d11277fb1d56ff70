import { describe, expect, it } from 'vitest';
import { BadArguments, flagArgs } from './command-args.js';
import { IMAP_LIMITS } from './imap-limits.js';
import { parseCommand } from './imap-parser.js';

const flags = (...values: string[]) => ({ kind: 'list' as const, items: values.map((value) => ({ kind: 'atom' as const, value })) });

describe('flagArgs', () => {
  it('reads a flag list and refuses more flags or longer keywords than the limits', () => {
    expect(flagArgs(flags('\\Seen', '$Work'))).toEqual(['\\Seen', '$Work']);
    const many = Array.from({ length: IMAP_LIMITS.maxFlags + 1 }, (_, i) => `k${i}`);
    expect(flagArgs(flags(...many.slice(1)))).toHaveLength(IMAP_LIMITS.maxFlags);
    expect(() => flagArgs(flags(...many))).toThrow(new BadArguments(`Too many flags (limit ${IMAP_LIMITS.maxFlags})`));
    expect(() => flagArgs(flags('k'.repeat(IMAP_LIMITS.maxKeywordLength + 1)))).toThrow(/Flag too long/);
    expect(() => flagArgs(flags('bad(flag'))).toThrow(/Invalid flag/);
  });

  it('refuses NIL in a flag list read from the wire, in any case', () => {
    for (const line of ['A1 STORE 1 +FLAGS (NIL)\r\n', 'A1 STORE 1 FLAGS (\\Seen nil)\r\n', 'A1 STORE 1 +FLAGS NIL\r\n']) {
      const parsed = parseCommand(Buffer.from(line));
      if (!parsed.ok) throw new Error(parsed.text);
      expect(() => flagArgs(parsed.command.args[2])).toThrow(new BadArguments('NIL is not a flag or keyword'));
    }
  });
});
