import type { MailEndpoints } from './mail-endpoints.js';
import { xmlText } from './xml-text.js';

/**
 * Thunderbird's autoconfig document (config-v1.1.xml, as its ISPDB uses it), for one mail domain. `%EMAILADDRESS%`
 * is Thunderbird's own placeholder: the client puts in the address the user typed.
 */
export function thunderbirdAutoconfig(domain: string, appName: string, endpoints: MailEndpoints): string {
  const server = (direction: 'incomingServer' | 'outgoingServer', type: string, port: number, socket: string) =>
    [
      `    <${direction} type="${type}">`,
      `      <hostname>${xmlText(endpoints.hostname)}</hostname>`,
      `      <port>${port}</port>`,
      `      <socketType>${socket}</socketType>`,
      '      <authentication>password-cleartext</authentication>',
      '      <username>%EMAILADDRESS%</username>',
      `    </${direction}>`,
    ].join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<clientConfig version="1.1">',
    `  <emailProvider id="${xmlText(domain)}">`,
    `    <domain>${xmlText(domain)}</domain>`,
    `    <displayName>${xmlText(appName)} (${xmlText(domain)})</displayName>`,
    `    <displayShortName>${xmlText(domain)}</displayShortName>`,
    ...endpoints.imap.map((endpoint) => server('incomingServer', 'imap', endpoint.port, endpoint.socket)),
    ...endpoints.pop3.map((endpoint) => server('incomingServer', 'pop3', endpoint.port, endpoint.socket)),
    ...endpoints.smtp.map((endpoint) => server('outgoingServer', 'smtp', endpoint.port, endpoint.socket)),
    '  </emailProvider>',
    '</clientConfig>',
    '',
  ].join('\n');
}
