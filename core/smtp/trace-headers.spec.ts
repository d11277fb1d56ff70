import { describe, expect, it } from 'vitest';
import { receivedHeader } from './trace-headers.js';

const base = {
  helo: 'client.example',
  clientHostname: 'mx.client.example',
  remoteAddress: '192.0.2.7',
  hostname: 'mail.example.org',
  sessionId: 'abc123',
  secure: true,
  authenticated: false,
  smtpUtf8: false,
  date: new Date(Date.UTC(2026, 10, 29, 10, 0, 0)),
};

describe('receivedHeader', () => {
  it('names the single recipient and the RFC 3848 protocol', () => {
    expect(receivedHeader({ ...base, recipients: ['ann@example.org'] })).toBe(
      'Received: from client.example (mx.client.example [192.0.2.7])\r\n\tby mail.example.org (Mailhive) with ESMTPS id abc123\r\n' +
        '\tfor <ann@example.org>;\r\n\tSun, 29 Nov 2026 10:00:00 +0000\r\n',
    );
  });

  it('hides a recipient list, marks IPv6, authentication and SMTPUTF8', () => {
    const header = receivedHeader({
      ...base,
      remoteAddress: '2001:db8::1',
      clientHostname: null,
      authenticated: true,
      smtpUtf8: true,
      recipients: ['a@x.example', 'b@x.example'],
    });
    expect(header).toBe(
      'Received: from client.example ([IPv6:2001:db8::1])\r\n\tby mail.example.org (Mailhive) with UTF8SMTPSA id abc123;\r\n' +
        '\tSun, 29 Nov 2026 10:00:00 +0000\r\n',
    );
  });
});
