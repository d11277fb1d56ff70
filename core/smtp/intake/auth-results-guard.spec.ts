import { describe, expect, it } from 'vitest';
import { obscureOwnAuthResults } from './auth-results-guard.js';

describe('obscureOwnAuthResults', () => {
  const message = Buffer.from('Authentication-Results: mx.other.example; spf=pass\r\nauthentication-results:  MAIL.example.org (forged) 1;\r\n'
    + ' dkim=pass header.d=bank.example\r\nSubject: hi\r\n\r\nAuthentication-Results: mail.example.org; body text\r\n');

  it('renames only header fields that claim our authserv-id', () => {
    const result = obscureOwnAuthResults(message, true, 'mail.example.org')!;
    const text = message.toString();
    const bodyStart = text.indexOf('\r\n\r\n') + 4;
    expect(result.end).toBe(bodyStart);
    expect(result.header.toString()).toBe('Authentication-Results: mx.other.example; spf=pass\r\nX-Untrusted-Authentication-Results:  MAIL.example.org (forged) 1;\r\n'
      + ' dkim=pass header.d=bank.example\r\nSubject: hi\r\n\r\n');
  });

  it('leaves messages without such fields alone, and a header block that does not fit', () => {
    expect(obscureOwnAuthResults(message, true, 'other.example.org')).toBeNull();
    expect(obscureOwnAuthResults(message.subarray(0, 60), false, 'mail.example.org')).toBeNull();
  });
});
