import { describe, expect, it } from 'vitest';
import { checkDeviceName, DEVICE_NAME_MAX_CHARS } from './device-name.js';

describe('device names', () => {
  it('accepts up to the limit in characters, astral ones counted once', () => {
    expect(checkDeviceName('a'.repeat(DEVICE_NAME_MAX_CHARS))).toEqual({ ok: true, name: 'a'.repeat(DEVICE_NAME_MAX_CHARS) });
    expect(checkDeviceName('📱'.repeat(DEVICE_NAME_MAX_CHARS)).ok).toBe(true);
  });

  it('refuses a longer name', () => {
    for (const name of ['a'.repeat(DEVICE_NAME_MAX_CHARS + 1), '📱'.repeat(DEVICE_NAME_MAX_CHARS + 1), 'x'.repeat(1_000_000)]) {
      expect(checkDeviceName(name)).toEqual({ ok: false, reason: 'deviceName must be at most 100 characters' });
    }
  });

  it('replaces control and bidi formatting characters, keeping emoji joiners', () => {
    expect(checkDeviceName('Ann\u202Egpj.exe')).toEqual({ ok: true, name: 'Ann gpj.exe' });
    expect(checkDeviceName('\u2066Work\u2069 phone\r\n\u0007\u200F')).toEqual({ ok: true, name: 'Work phone' });
    expect(checkDeviceName('\u0085Tab\tbed\u009b')).toEqual({ ok: true, name: 'Tab bed' });
    expect(checkDeviceName('👩\u200D💻 laptop')).toEqual({ ok: true, name: '👩\u200D💻 laptop' });
  });
});
