import { describe, expect, it } from 'vitest';
import { ConnectionLimiter } from './connection-limiter.js';
import { fromFields } from './sender-policy.js';

describe('ConnectionLimiter', () => {
  it('counts per address and frees on release', () => {
    const limiter = new ConnectionLimiter(2);
    expect([limiter.acquire('192.0.2.1'), limiter.acquire('192.0.2.1'), limiter.acquire('192.0.2.1')]).toEqual([true, true, false]);
    expect(limiter.acquire('192.0.2.2')).toBe(true);
    limiter.release('192.0.2.1');
    expect(limiter.acquire('192.0.2.1')).toBe(true);
  });

  it('counts an IPv6 client by its /64, so it cannot dodge the cap by changing addresses', () => {
    const limiter = new ConnectionLimiter(2);
    expect([limiter.acquire('2001:db8:1:2::1'), limiter.acquire('2001:db8:1:2::ab'), limiter.acquire('2001:db8:1:2:ffff::9')]).toEqual([true, true, false]);
    expect(limiter.acquire('2001:db8:1:3::1')).toBe(true);
    limiter.release('2001:db8:1:2::1');
    expect(limiter.acquire('2001:db8:1:2::cafe')).toBe(true);
  });
});

describe('fromFields', () => {
  it('reads every address of every From field, with display names, groups and folding', () => {
    const head = Buffer.from('Subject: x\r\nFrom: "Ann, Sales" <ann@example.org>,\r\n bob@example.org\r\nFrom: Team: carol@example.org;\r\n\r\nbody');
    expect(fromFields(head)).toEqual({ count: 2, addresses: ['ann@example.org', 'bob@example.org', 'carol@example.org'] });
  });

  it('counts no field and no address without a From field', () => {
    expect(fromFields(Buffer.from('Subject: x\r\n\r\n'))).toEqual({ count: 0, addresses: [] });
  });
});
