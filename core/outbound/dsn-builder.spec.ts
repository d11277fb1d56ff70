import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildDsn } from './dsn-builder.js';
import { parseRelayHost } from './relay-host.js';

describe('buildDsn', () => {
  it('builds an RFC 3464 multipart/report with one block per failed recipient and the original header', async () => {
    const original = Buffer.from('From: <ann@example.org>\r\nSubject: Hello\r\n\r\nsecret body\r\n');
    const dsn = buildDsn({
      hostname: 'mail.example.org', sender: 'ann@example.org', original, arrivalDate: Date.UTC(2026, 10, 29), expired: false,
      failed: [{ recipient: 'bob@remote.example', status: 'failed', response: '550 5.1.1 <bob@remote.example>: no such user', remoteMta: 'mx.remote.example' }],
    });
    const text = dsn.toString();
    expect(text).toMatch(/^Content-Type: multipart\/report; report-type=delivery-status; boundary="dsn-\w+"\r$/m);
    expect(text).toContain('Reporting-MTA: dns; mail.example.org\r\n');
    expect(text).toContain('Final-Recipient: rfc822; bob@remote.example\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.remote.example\r\n'
      + 'Diagnostic-Code: smtp; 550 5.1.1 <bob@remote.example>: no such user');
    expect(text).toContain('Content-Type: text/rfc822-headers\r\n\r\nFrom: <ann@example.org>\r\nSubject: Hello\r\n');
    expect(text).not.toContain('secret body');
    expect(text).not.toMatch(/[^\r]\n/);
    const parsed = await simpleParser(dsn);
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('reports expiry as 4.4.7', () => {
    const dsn = buildDsn({
      hostname: 'h.example', sender: 'a@h.example', original: Buffer.from('Subject: x\r\n\r\n'), arrivalDate: 0, expired: true,
      failed: [{ recipient: 'b@r.example', status: 'deferred', response: '451 4.3.0 try later', remoteMta: null }],
    }).toString();
    expect(dsn).toContain('Status: 4.4.7\r\n');
    expect(dsn).not.toContain('Remote-MTA');
  });
});

describe('parseRelayHost', () => {
  it('reads host, host:port and smtp(s) URLs with credentials', () => {
    expect(parseRelayHost('relay.example')).toEqual({ host: 'relay.example', port: 25, secure: false, auth: null });
    expect(parseRelayHost('relay.example:2525')).toMatchObject({ host: 'relay.example', port: 2525 });
    expect(parseRelayHost('smtps://u%40x:p%3Aw@relay.example')).toEqual({ host: 'relay.example', port: 465, secure: true, auth: { user: 'u@x', pass: 'p:w' } });
  });
});
