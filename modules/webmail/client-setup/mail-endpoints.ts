import type { BoundPorts } from '../../../core/transports/bound-ports.js';

export type SocketType = 'SSL' | 'STARTTLS';

export interface Endpoint {
  port: number;
  socket: SocketType;
}

/** Where a mail client connects, implicit TLS first: the server's host name and its open client ports. */
export interface MailEndpoints {
  hostname: string;
  imap: Endpoint[];
  pop3: Endpoint[];
  smtp: Endpoint[];
}

/** The ports clients are offered: IMAP, POP3 and submission (never the MX port 25, which takes no logins). */
export function mailEndpoints(hostname: string, ports: BoundPorts): MailEndpoints {
  const pair = (ssl: number | undefined, starttls: number | undefined): Endpoint[] => [
    ...(ssl ? [{ port: ssl, socket: 'SSL' as const }] : []),
    ...(starttls ? [{ port: starttls, socket: 'STARTTLS' as const }] : []),
  ];
  return {
    hostname,
    imap: pair(ports.imaps, ports.imap),
    pop3: pair(ports.pop3s, ports.pop3),
    smtp: pair(ports.smtps, ports.submission),
  };
}
