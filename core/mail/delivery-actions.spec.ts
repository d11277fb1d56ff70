import { describe, expect, it } from 'vitest';
import { planCopy } from './delivery-actions.js';

describe('delivery actions', () => {
  it('files into the last folder named and adds up the flags', () => {
    expect(
      planCopy([
        { kind: 'fileInto', mailbox: '\\Junk' },
        { kind: 'setFlags', flags: ['$Junk'] },
        { kind: 'fileInto', mailbox: 'Lists/News' },
        { kind: 'setFlags', flags: ['\\Seen', '$junk'] },
      ]),
    ).toEqual({ folder: 'Lists/News', flags: ['$Junk', '\\Seen'], ignored: [] });
  });

  it('leaves out flags that are not IMAP atoms and action kinds it does not know', () => {
    const unknown = { kind: 'forward', to: 'x@example.org' } as unknown as Parameters<typeof planCopy>[0][number];
    expect(planCopy([{ kind: 'setFlags', flags: ['a b', '(x)', '', 'x'.repeat(65), 'ok'] }, unknown])).toEqual({
      folder: null,
      flags: ['ok'],
      ignored: ['forward'],
    });
  });
});
