import { describe, expect, it } from 'vitest';
import { fromAddresses } from './sender-policy.js';

describe('fromAddresses', () => {
  it('reads every address of every From field, with display names, groups and folding', () => {
    const head = Buffer.from('Subject: x\r\nFrom: "Ann, Sales" <ann@example.org>,\r\n bob@example.org\r\nFrom: Team: carol@example.org;\r\n\r\nbody');
    expect(fromAddresses(head)).toEqual(['ann@example.org', 'bob@example.org', 'carol@example.org']);
  });

  it('returns null without a From field', () => {
    expect(fromAddresses(Buffer.from('Subject: x\r\n\r\n'))).toBeNull();
  });
});
