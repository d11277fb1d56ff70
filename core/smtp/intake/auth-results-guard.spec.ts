import { describe, expect, it } from 'vitest';
import { obscureOwnAuthResults } from './auth-results-guard.js';

describe('obscureOwnAuthResults', () => {
  const message = Buffer.from(
    'Authentication-Results: mx.other.example; spf=pass\r\nauthentication-results:  MAIL.example.org (forged) 1;\r\n' +
      ' dkim=pass header.d=bank.example\r\nSubject: hi\r\n\r\nAuthentication-Results: mail.example.org; body text\r\n',
  );

  it('renames only header fields that claim our authserv-id', () => {
    const result = obscureOwnAuthResults(message, true, 'mail.example.org')!;
    const text = message.toString();
    const bodyStart = text.indexOf('\r\n\r\n') + 4;
    expect(result.end).toBe(bodyStart);
    expect(result.header.toString()).toBe(
      'Authentication-Results: mx.other.example; spf=pass\r\nX-Untrusted-Authentication-Results:  MAIL.example.org (forged) 1;\r\n' +
        ' dkim=pass header.d=bank.example\r\nSubject: hi\r\n\r\n',
    );
  });

  it('leaves messages without such fields alone, and a header block that does not fit', () => {
    expect(obscureOwnAuthResults(message, true, 'other.example.org')).toBeNull();
    expect(obscureOwnAuthResults(message.subarray(0, 60), false, 'mail.example.org')).toBeNull();
  });

  it('reads the authserv-id of a value with a quarter million unclosed "(" in one pass', () => {
    const head = Buffer.from(`Authentication-Results: mail.example.org (${'('.repeat(250_000)}\r\n\r\nbody`);
    const result = obscureOwnAuthResults(head, true, 'mail.example.org')!;
    expect(result.header.subarray(0, 40).toString()).toBe('X-Untrusted-Authentication-Results: mail');
    expect(
      obscureOwnAuthResults(
        Buffer.from('Authentication-Results: (a (nested) comment) mail.example.org; dkim=pass\r\n\r\n'),
        true,
        'mail.example.org',
      ),
    ).not.toBeNull();
  });
});
