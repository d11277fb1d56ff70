import { rfc5322Date } from '../envelope/rfc5322-date.js';
export interface ReceivedInfo {
  helo: string;
  clientHostname: string | null;
  remoteAddress: string;
  hostname: string;
  sessionId: string;
  secure: boolean;
  authenticated: boolean;
  smtpUtf8: boolean;
  /** Named in a `for` clause only when there is exactly one (RFC 5321 §4.4: not to leak a list). */
  recipients: readonly string[];
  date?: Date;
}

/**
 * The Received trace field (RFC 5321 §4.4) as whole CRLF-terminated lines, folded. The protocol name follows
 * RFC 3848 (ESMTP, ESMTPS, ESMTPA, ESMTPSA) and RFC 6531 §3.7.3 (UTF8SMTP...).
 */
export function receivedHeader(info: ReceivedInfo): string {
  const protocol = `${info.smtpUtf8 ? 'UTF8SMTP' : 'ESMTP'}${info.secure ? 'S' : ''}${info.authenticated ? 'A' : ''}`;
  const address = info.remoteAddress.includes(':') ? `IPv6:${info.remoteAddress}` : info.remoteAddress;
  const client = info.clientHostname && info.clientHostname !== `[${info.remoteAddress}]` ? `${info.clientHostname} ` : '';
  const lines = [
    `Received: from ${info.helo} (${client}[${address}])`,
    `\tby ${info.hostname} (Mailhive) with ${protocol} id ${info.sessionId}`,
  ];
  const when = rfc5322Date(info.date ?? new Date());
  if (info.recipients.length === 1) lines.push(`\tfor <${info.recipients[0]}>;`, `\t${when}`);
  else ((lines[lines.length - 1] += ';'), lines.push(`\t${when}`));
  return `${lines.join('\r\n')}\r\n`;
}
