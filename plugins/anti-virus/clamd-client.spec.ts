import { describe, expect, it } from 'vitest';
import { clamdEndpoint, parseClamdReply } from './clamd-client.js';

describe('clamd client', () => {
  it('reads INSTREAM replies', () => {
    expect(parseClamdReply('stream: OK\0')).toEqual({ kind: 'clean' });
    expect(parseClamdReply('stream: Eicar-Signature FOUND\0')).toEqual({ kind: 'infected', signature: 'Eicar-Signature' });
    expect(parseClamdReply('INSTREAM size limit exceeded. ERROR\0')).toEqual({
      kind: 'error',
      reason: 'INSTREAM size limit exceeded. ERROR',
    });
    expect(parseClamdReply('')).toEqual({ kind: 'error', reason: 'no answer from clamd' });
  });

  it('tells a TCP address from a socket path', () => {
    expect(clamdEndpoint('127.0.0.1:3310')).toEqual({ host: '127.0.0.1', port: 3310 });
    expect(clamdEndpoint('[::1]:3310')).toEqual({ host: '::1', port: 3310 });
    expect(clamdEndpoint('/run/clamav/clamd.ctl')).toEqual({ path: '/run/clamav/clamd.ctl' });
  });
});
