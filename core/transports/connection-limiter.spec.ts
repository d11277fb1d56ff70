import { describe, expect, it } from 'vitest';
import { ConnectionLimiter } from './connection-limiter.js';

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
    expect([limiter.acquire('2001:db8:1:2::1'), limiter.acquire('2001:db8:1:2::ab'), limiter.acquire('2001:db8:1:2:ffff::9')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.acquire('2001:db8:1:3::1')).toBe(true);
    limiter.release('2001:db8:1:2::1');
    expect(limiter.acquire('2001:db8:1:2::cafe')).toBe(true);
  });
});
