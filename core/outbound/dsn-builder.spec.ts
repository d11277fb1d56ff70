import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildDsn } from './dsn-builder.js';
import { parseRelayHost } from './relay-host.js';

describe('buildDsn', () => {
  it('builds an RFC 3464 multipart/report with one block per failed recipient and the original header', async () => {
    const original = Buffer.from('From: <ann@example.org>\r\nSubject: Hello\r\n\r\nsecret body\r\n');
    const dsn = buildDsn({
      hostname: 'mail.example.org',
      sender: 'ann@example.org',
      original,
      arrivalDate: Date.UTC(2026, 10, 29),
      expired: false,
      ret: null,
      envid: null,
      recipients: [
        {
          action: 'failed',
          orcpt: null,
          result: {
            recipient: 'bob@remote.example',
            status: 'failed',
            response: '550 5.1.1 <bob@remote.example>: no such user',
            remoteMta: 'mx.remote.example',
          },
        },
      ],
    });
    const text = dsn.toString();
    expect(text).toMatch(/^Content-Type: multipart\/report; report-type=delivery-status; boundary="dsn-\w+"\r$/m);
    expect(text).toContain('Reporting-MTA: dns; mail.example.org\r\n');
    expect(text).toContain(
      'Final-Recipient: rfc822; bob@remote.example\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.remote.example\r\n' +
        'Diagnostic-Code: smtp; 550 5.1.1 <bob@remote.example>: no such user',
    );
    expect(text).toContain('Content-Type: text/rfc822-headers\r\n\r\nFrom: <ann@example.org>\r\nSubject: Hello\r\n');
    expect(text).not.toContain('secret body');
    expect(text).not.toMatch(/[^\r]\n/);
    const parsed = await simpleParser(dsn);
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('reports expiry as 4.4.7', () => {
    const dsn = buildDsn({
      hostname: 'h.example',
      sender: 'a@h.example',
      original: Buffer.from('Subject: x\r\n\r\n'),
      arrivalDate: 0,
      expired: true,
      ret: null,
      envid: null,
      recipients: [
        {
          action: 'failed',
          orcpt: null,
          result: { recipient: 'b@r.example', status: 'deferred', response: '451 4.3.0 try later', remoteMta: null },
        },
      ],
    }).toString();
    expect(dsn).toContain('Status: 4.4.7\r\n');
    expect(dsn).not.toContain('Remote-MTA');
  });
});

describe('buildDsn with RFC 3461 parameters', () => {
  const original = Buffer.from('Subject: Hello\r\n\r\nsecret body\r\n');
  const base = { hostname: 'h.example', sender: 'a@h.example', original, arrivalDate: 0, expired: false } as const;

  it('returns the whole message for RET=FULL in a failure report, with ENVID and ORCPT', async () => {
    const dsn = buildDsn({
      ...base,
      ret: 'FULL',
      envid: 'QQ314159',
      recipients: [
        {
          action: 'failed',
          orcpt: 'rfc822;Bob+Tag@r.example',
          result: { recipient: 'b@r.example', status: 'failed', response: '550 5.1.1 no', remoteMta: null },
        },
      ],
    }).toString();
    expect(dsn).toContain(
      'Content-Type: message/delivery-status\r\n\r\nOriginal-Envelope-Id: QQ314159\r\nReporting-MTA: dns; h.example\r\n',
    );
    expect(dsn).toContain('Original-Recipient: rfc822;Bob+Tag@r.example\r\nFinal-Recipient: rfc822; b@r.example\r\nAction: failed\r\n');
    expect(dsn).toMatch(/Content-Type: message\/rfc822\r\n\r\nSubject: Hello\r\n\r\nsecret body\r\n\r\n--dsn-\w+--\r\n$/);
    const parsed = await simpleParser(Buffer.from(dsn));
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
  });

  it('returns only the header in a success or delay report even for RET=FULL (RFC 3461 §4.3)', () => {
    const dsn = buildDsn({
      ...base,
      ret: 'FULL',
      envid: null,
      recipients: [
        {
          action: 'relayed',
          orcpt: null,
          result: { recipient: 'b@r.example', status: 'delivered', response: '250 accepted', remoteMta: 'mx.r.example' },
        },
        {
          action: 'delivered',
          orcpt: null,
          result: { recipient: 'c@h.example', status: 'delivered', response: '250 2.0.0 delivered to mailbox', remoteMta: null },
        },
      ],
    }).toString();
    expect(dsn).toContain('Subject: Successful Mail Delivery Report\r\n');
    expect(dsn).toContain('Final-Recipient: rfc822; b@r.example\r\nAction: relayed\r\nStatus: 2.0.0\r\nRemote-MTA: dns; mx.r.example\r\n');
    expect(dsn).toContain('Final-Recipient: rfc822; c@h.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n--');
    expect(dsn).toContain('Content-Type: text/rfc822-headers\r\n');
    expect(dsn).not.toContain('secret body');
  });

  it('reports a delay with Will-Retry-Until', () => {
    const dsn = buildDsn({
      ...base,
      ret: null,
      envid: null,
      recipients: [
        {
          action: 'delayed',
          orcpt: null,
          willRetryUntil: Date.UTC(2026, 11, 1),
          result: { recipient: 'b@r.example', status: 'deferred', response: '450 4.2.1 busy', remoteMta: 'mx.r.example' },
        },
      ],
    }).toString();
    expect(dsn).toContain('Subject: Delayed Mail (still being retried)\r\n');
    expect(dsn).toContain(
      'Action: delayed\r\nStatus: 4.2.1\r\nRemote-MTA: dns; mx.r.example\r\nDiagnostic-Code: smtp; 450 4.2.1 busy\r\nWill-Retry-Until: Tue, 01 Dec 2026 00:00:00 +0000\r\n',
    );
  });
});

describe('parseRelayHost', () => {
  it('reads host, host:port and smtp(s) URLs with credentials', () => {
    expect(parseRelayHost('relay.example')).toEqual({ host: 'relay.example', port: 25, secure: false, auth: null });
    expect(parseRelayHost('relay.example:2525')).toMatchObject({ host: 'relay.example', port: 2525 });
    expect(parseRelayHost('smtps://u%40x:p%3Aw@relay.example')).toEqual({
      host: 'relay.example',
      port: 465,
      secure: true,
      auth: { user: 'u@x', pass: 'p:w' },
    });
  });
});
