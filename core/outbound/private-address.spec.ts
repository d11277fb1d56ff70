import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './private-address.js';

describe('isPublicAddress', () => {
  it('refuses loopback, RFC 1918, shared, link-local, unspecified, multicast and reserved IPv4 addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '100.64.0.1',
      '100.127.255.254',
      '169.254.169.254',
      '0.0.0.0',
      '224.0.0.1',
      '239.1.1.1',
      '255.255.255.255',
    ]) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
  });

  it('refuses the IPv6 equivalents and IPv4-mapped IPv6 forms of refused IPv4 addresses', () => {
    for (const address of [
      '::',
      '::1',
      'fe80::1',
      'fd00::25',
      'fc12::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::127.0.0.1',
    ]) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
  });

  it('takes public addresses, including the neighbours of refused ranges', () => {
    for (const address of [
      '192.0.2.25',
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '11.0.0.1',
      '2001:db8::25',
      '2a00:1450::1',
      '::ffff:8.8.8.8',
    ]) {
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
    }
  });

  it('treats anything that is not an IP address as not public', () => {
    expect(isPublicAddress('mx.example.org')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
  });
});
