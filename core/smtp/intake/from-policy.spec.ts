import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../mime/header.parser.js';
import type { InboundAuthResult } from '../inbound-auth.service.js';
import { checkFromFields, MAX_FROM_ADDRESSES, unauthenticatedHostedDomain } from './from-policy.js';

const check = (text: string) => {
  const head = Buffer.from(text);
  return checkFromFields(head, parseHeader(head, 0, head.length));
};

const auth = (authenticatedDomains: string[], trustedSealer = false): InboundAuthResult => ({
  headers: '',
  spf: 'none',
  dkim: 'none',
  dmarc: 'none',
  dmarcReject: false,
  authenticatedDomains,
  trustedSealer,
});

const hosted = async (domain: string) => domain === 'hive.test';

describe('checkFromFields', () => {
  it('returns every address of one From field, group members included', () => {
    expect(check('From: Boss <bob@hive.test>, x@outside.test\r\n\r\n')).toEqual({
      kind: 'ok',
      addresses: ['bob@hive.test', 'x@outside.test'],
    });
    expect(check('From: Staff: bob@hive.test, (c) ann@hive.test;\r\n\r\n')).toEqual({
      kind: 'ok',
      addresses: ['bob@hive.test', 'ann@hive.test'],
    });
  });

  it('refuses a second From field (RFC 5322 §3.6), whatever its case or spacing', () => {
    expect(check('From: a@outside.test\r\nFROM : b@outside.test\r\n\r\n')).toMatchObject({
      kind: 'refused',
      reply: { code: 550, enhanced: '5.6.0' },
    });
  });

  it('refuses a From list longer than MAX_FROM_ADDRESSES', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@d${i}.test`).join(', ');
    expect(check(`From: ${list(MAX_FROM_ADDRESSES)}\r\n\r\n`).kind).toBe('ok');
    expect(check(`From: ${list(MAX_FROM_ADDRESSES + 1)}\r\n\r\n`)).toMatchObject({
      kind: 'refused',
      reply: { code: 550, enhanced: '5.6.0' },
    });
  });
});

describe('unauthenticatedHostedDomain', () => {
  it('finds a hosted domain anywhere in the list, in any case and with a trailing dot', async () => {
    expect(await unauthenticatedHostedDomain(['x@outside.test', 'bob@HIVE.test.'], auth(['outside.test']), hosted)).toBe('hive.test');
  });

  it('passes hosted addresses that SPF or DKIM authenticates (aligned), or that a trusted ARC sealer vouches for', async () => {
    expect(await unauthenticatedHostedDomain(['bob@hive.test', 'x@outside.test'], auth(['mail.hive.test']), hosted)).toBeNull();
    expect(await unauthenticatedHostedDomain(['bob@hive.test'], auth([], true), hosted)).toBeNull();
    expect(await unauthenticatedHostedDomain(['x@outside.test', 'y@[192.0.2.1]'], auth([]), hosted)).toBeNull();
  });
});
