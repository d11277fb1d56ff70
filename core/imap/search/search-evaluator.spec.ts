import { describe, expect, it } from 'vitest';
import type { MessageMeta } from '../imap-backend.js';
import { parseSequenceSet } from '../protocol/sequence-set.js';
import type { SearchKey } from '../protocol/search-query.js';
import { matches, type SearchCandidate, type SearchScope } from './search-evaluator.js';

const COUNT = 100_000;

function everyMessage(key: SearchKey, scope: SearchScope): number {
  const meta: MessageMeta = { uid: 0, modseq: 1, flags: [], internalDate: 0, sentDate: 0, size: 1, blobId: '' };
  const candidate: SearchCandidate = { seq: 0, meta, detail: null, raw: null };
  let found = 0;
  for (let seq = 1; seq <= COUNT; seq++) {
    candidate.seq = seq;
    meta.uid = seq * 2;
    if (matches(key, candidate, scope)) found++;
  }
  return found;
}

describe('search evaluation on a large mailbox', () => {
  const uids = Array.from({ length: COUNT }, (_, i) => (i + 1) * 2);
  const scope: SearchScope = { uids, savedSearch: new Set(uids.filter((_, i) => i % 3 === 0)), recent: new Set(), now: 0 };

  it('tests 100,000 messages against a UID set of 8,000 ranges and against $ in well under a second', () => {
    const set = parseSequenceSet(Array.from({ length: 8_000 }, (_, i) => `${i * 10 + 1}:${i * 10 + 4}`).join(','));
    if (!set) throw new Error('invalid set');
    const started = performance.now();
    expect(everyMessage({ kind: 'uid', set }, scope)).toBe(16_000);
    expect(everyMessage({ kind: 'seq', set }, scope)).toBe(32_000);
    expect(everyMessage({ kind: 'uid', set: { kind: 'saved' } }, scope)).toBe(Math.ceil(COUNT / 3));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
