import { describe, expect, it } from 'vitest';
import { FLAG_BITS } from '../../mail/message-listing.js';
import { parseFetchAttributes } from '../protocol/fetch-attributes.js';
import { flagText, listingColumnsFor, textItemsAt } from './fetch-text-lines.js';

const items = (text: string) => {
  const parsed = parseFetchAttributes({ kind: 'list', items: text.split(' ').map((value) => ({ kind: 'atom' as const, value })) });
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('text-only FETCH lines', () => {
  it('writes system flags in FLAGS order, then keywords', () => {
    expect(flagText(0, undefined)).toBe('');
    expect(flagText(FLAG_BITS.draft | FLAG_BITS.seen | FLAG_BITS.deleted, undefined)).toBe('\\Seen \\Deleted \\Draft');
    expect(flagText(FLAG_BITS.flagged, ['$Work', 'Junk'])).toBe('\\Flagged $Work Junk');
    expect(flagText(0, ['$Work'])).toBe('$Work');
    expect(flagText(FLAG_BITS.seen, ['$Work'], true)).toBe('\\Seen \\Recent $Work');
    expect(flagText(0, undefined, true)).toBe('\\Recent');
  });

  it('builds items in the order asked from a column listing', () => {
    const wanted = items('UID FLAGS RFC822.SIZE MODSEQ INTERNALDATE');
    expect(listingColumnsFor(wanted, false)).toEqual(['modseq', 'size', 'internalDate']);
    expect(listingColumnsFor(items('UID FLAGS'), true)).toEqual(['modseq']);
    const listing = {
      uids: [3, 9],
      flagBits: [FLAG_BITS.seen, 0],
      keywords: new Map([[9, ['$Later']]]),
      modseq: [12, 15],
      size: [1200, 345],
      internalDate: [Date.UTC(2024, 1, 3, 4, 5, 6), 0],
    };
    expect(textItemsAt(wanted, listing, 0)).toBe(
      '(UID 3 FLAGS (\\Seen) RFC822.SIZE 1200 MODSEQ (12) INTERNALDATE "03-Feb-2024 04:05:06 +0000")',
    );
    expect(textItemsAt(items('FLAGS UID'), listing, 1)).toBe('(FLAGS ($Later) UID 9)');
  });
});
