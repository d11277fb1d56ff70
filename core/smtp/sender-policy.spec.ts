import { describe, expect, it } from 'vitest';
import { fromFields } from './sender-policy.js';

describe('fromFields', () => {
  it('reads every address of every From field, with display names, groups and folding', () => {
    const head = Buffer.from(
      'Subject: x\r\nFrom: "Ann, Sales" <ann@example.org>,\r\n bob@example.org\r\nFrom: Team: carol@example.org;\r\n\r\nbody',
    );
    expect(fromFields(head)).toEqual({ count: 2, addresses: ['ann@example.org', 'bob@example.org', 'carol@example.org'] });
  });

  it('counts no field and no address without a From field', () => {
    expect(fromFields(Buffer.from('Subject: x\r\n\r\n'))).toEqual({ count: 0, addresses: [] });
  });
});
