import { describe, expect, it } from 'vitest';
import { NetworkList } from './network-list.js';

describe('NetworkList', () => {
  const list = new NetworkList(['127.0.0.0/8', '::1/128', '192.0.2.7', '2001:db8:1::/48']);

  it('matches IPv4, IPv4-mapped IPv6, IPv6 and zoned addresses against their blocks', () => {
    expect(list.has('127.0.0.1')).toBe(true);
    expect(list.has('127.255.0.9')).toBe(true);
    expect(list.has('::ffff:127.0.0.1')).toBe(true);
    expect(list.has('::1')).toBe(true);
    expect(list.has('192.0.2.7')).toBe(true);
    expect(list.has('192.0.2.8')).toBe(false);
    expect(list.has('2001:db8:1:ffff::5')).toBe(true);
    expect(list.has('2001:db8:2::5')).toBe(false);
    expect(list.has('fe80::1%eth0')).toBe(false);
    expect(list.has('not an address')).toBe(false);
  });

  it('is empty when given nothing', () => {
    expect(new NetworkList([]).has('127.0.0.1')).toBe(false);
  });

  it('refuses what is not an address or a block', () => {
    for (const bad of ['example.org', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/-1']) {
      expect(() => new NetworkList([bad]), bad).toThrow(/not an IP address or CIDR block/);
    }
  });
});
