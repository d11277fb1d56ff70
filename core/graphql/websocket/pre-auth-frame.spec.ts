import { describe, expect, it } from 'vitest';
import { isConnectionInit } from './pre-auth-frame.js';

describe('the one message allowed before authentication', () => {
  it('is connection_init, with or without a payload', () => {
    expect(isConnectionInit('{"type":"connection_init"}')).toBe(true);
    expect(isConnectionInit('{"type":"connection_init","payload":{"authorization":"Bearer x"}}')).toBe(true);
  });

  it('is nothing else, nor anything that is not a JSON object', () => {
    for (const frame of [
      '{"type":"ping"}',
      '{"type":"subscribe","id":"1","payload":{"query":"{ me { id } }"}}',
      '"connection_init"',
      'null',
      '[{"type":"connection_init"}]',
      '{"type":"connection_init"',
      '',
      '\u0000',
    ]) {
      expect(isConnectionInit(frame)).toBe(false);
    }
  });
});
