import { describe, expect, it } from 'vitest';
import { metricsAccessAllowed } from './metrics-access.js';

describe('/metrics access', () => {
  it('lets loopback clients in, IPv4, IPv6 and IPv4-mapped', () => {
    for (const address of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1'])
      expect(metricsAccessAllowed(address, undefined, null)).toBe(true);
  });

  it('refuses other addresses without the configured bearer token', () => {
    for (const address of ['10.0.0.1', '192.0.2.7', '::ffff:192.0.2.7', '2001:db8::1', undefined]) {
      expect(metricsAccessAllowed(address, undefined, 's3cret-token')).toBe(false);
      expect(metricsAccessAllowed(address, 'Bearer wrong-token', 's3cret-token')).toBe(false);
      expect(metricsAccessAllowed(address, 'Bearer s3cret-token', null)).toBe(false);
      expect(metricsAccessAllowed(address, 's3cret-token', 's3cret-token')).toBe(false);
      expect(metricsAccessAllowed(address, 'Bearer s3cret-token', 's3cret-token')).toBe(true);
      expect(metricsAccessAllowed(address, 'bearer  s3cret-token ', 's3cret-token')).toBe(true);
    }
  });
});
