import { describe, expect, it } from 'vitest';
import type { MessageMeta } from '../imap-backend.js';
import { parseSequenceSet } from '../protocol/sequence-set.js';
import type { SearchKey } from '../protocol/search-query.js';
import { analyzeMessage } from '../../mime/analyze-message.js';
import { storedStructureOf } from '../../mime/message-analysis.types.js';
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

describe('text search keys on a message with repeated header fields', () => {
  it('finds SUBJECT and FROM in any occurrence, alone and under OR', async () => {
    const raw = Buffer.from(
      'From: First <first@example.com>\r\nFrom: Second <secondsender@example.com>\r\nSubject: original subject\r\nSubject: duplicated zebra\r\n\r\nbody\r\n',
    );
    const analysis = await analyzeMessage(raw);
    const meta: MessageMeta = { uid: 1, modseq: 1, flags: [], internalDate: 0, sentDate: 0, size: raw.length, blobId: '' };
    const candidate: SearchCandidate = {
      seq: 1,
      meta,
      raw: null,
      detail: { ...meta, subject: analysis.subject, structure: storedStructureOf(analysis), searchText: analysis.searchText },
    };
    const scope: SearchScope = { uids: [1], savedSearch: new Set(), recent: new Set(), now: 0 };
    const text = (field: 'subject' | 'from', value: string): SearchKey => ({ kind: 'text', field, value });
    expect(matches(text('subject', 'original'), candidate, scope)).toBe(true);
    expect(matches(text('subject', 'ZEBRA'), candidate, scope)).toBe(true);
    expect(matches(text('from', 'first@'), candidate, scope)).toBe(true);
    expect(matches(text('from', 'secondsender'), candidate, scope)).toBe(true);
    expect(matches({ kind: 'or', left: text('subject', 'nothing-here'), right: text('from', 'secondsender') }, candidate, scope)).toBe(
      true,
    );
    expect(matches(text('subject', 'absent'), candidate, scope)).toBe(false);
  });
});
