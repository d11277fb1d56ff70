import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, pathDigest } from './sync-state.js';

describe('sync state', () => {
  it('round-trips', () => {
    const state = { accountId: 7, mailboxes: [{ mailboxId: 3, modseq: 42, uidNext: 10, pathDigest: pathDigest('INBOX') }] };
    const text = encodeState(state);
    expect(text).toMatch(/^[\w-]+$/);
    expect(decodeState(text)).toEqual(state);
  });

  it('refuses anything it did not make', () => {
    expect(decodeState('')).toBeNull();
    expect(decodeState('not base64 json')).toBeNull();
    expect(decodeState(Buffer.from('[2,1,[]]').toString('base64url'))).toBeNull();
    expect(decodeState(Buffer.from('[1,1,[[1,-1,1,"x"]]]').toString('base64url'))).toBeNull();
    expect(decodeState(Buffer.from('{"a":1}').toString('base64url'))).toBeNull();
  });

  it('changes the path digest on rename', () => {
    expect(pathDigest('Work')).not.toBe(pathDigest('Projects'));
  });
});
