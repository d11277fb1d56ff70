import { describe, expect, it } from 'vitest';
import { AddressAllowList } from './address-allow-list.js';

describe('admin address allow list', () => {
  it('allows everyone when empty', () => {
    expect(new AddressAllowList([]).allows('203.0.113.9')).toBe(true);
  });

  it('matches IPv4, IPv4-mapped and IPv6 clients against their networks', () => {
    const list = new AddressAllowList(['10.0.0.0/8', '2001:db8::/32', '127.0.0.1']);
    expect(list.allows('10.20.30.40')).toBe(true);
    expect(list.allows('::ffff:10.1.2.3')).toBe(true);
    expect(list.allows('::ffff:127.0.0.1')).toBe(true);
    expect(list.allows('2001:db8:1::5')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows('')).toBe(false);
  });
});
