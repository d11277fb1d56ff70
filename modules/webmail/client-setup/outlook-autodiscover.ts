import type { Endpoint, MailEndpoints } from './mail-endpoints.js';
import { xmlText } from './xml-text.js';

const REQUEST_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const OUTLOOK_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/** The largest request body read: Outlook's request is a few hundred bytes. */
export const AUTODISCOVER_MAX_REQUEST_BYTES = 16 * 1024;

/** The address in an Outlook autodiscover request (`<EMailAddress>`), or null when there is none. */
export function autodiscoverAddress(body: string): string | null {
  if (!body.includes(REQUEST_SCHEMA)) return null;
  const match = /<EMailAddress>\s*([^<\s]{1,320})\s*<\/EMailAddress>/i.exec(body);
  return match ? match[1] : null;
}

/** The POX response: one IMAP and one SMTP protocol, the implicit-TLS port when the server has one. */
export function autodiscoverResponse(address: string, endpoints: MailEndpoints): string {
  const protocol = (type: 'IMAP' | 'POP3' | 'SMTP', endpoint: Endpoint) =>
    [
      '        <Protocol>',
      `          <Type>${type}</Type>`,
      `          <Server>${xmlText(endpoints.hostname)}</Server>`,
      `          <Port>${endpoint.port}</Port>`,
      `          <LoginName>${xmlText(address)}</LoginName>`,
      '          <DomainRequired>off</DomainRequired>',
      '          <SPA>off</SPA>',
      // Outlook: SSL on with Encryption TLS means STARTTLS; SSL on alone, TLS from the first byte.
      '          <SSL>on</SSL>',
      ...(endpoint.socket === 'STARTTLS' ? ['          <Encryption>TLS</Encryption>'] : []),
      '          <AuthRequired>on</AuthRequired>',
      ...(type === 'SMTP' ? ['          <UsePOPAuth>off</UsePOPAuth>', '          <SMTPLast>off</SMTPLast>'] : []),
      '        </Protocol>',
    ].join('\n');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Autodiscover xmlns="${RESPONSE_SCHEMA}">`,
    `  <Response xmlns="${OUTLOOK_SCHEMA}">`,
    '    <Account>',
    '      <AccountType>email</AccountType>',
    '      <Action>settings</Action>',
    ...(endpoints.imap[0] ? [protocol('IMAP', endpoints.imap[0])] : []),
    ...(endpoints.pop3[0] ? [protocol('POP3', endpoints.pop3[0])] : []),
    ...(endpoints.smtp[0] ? [protocol('SMTP', endpoints.smtp[0])] : []),
    '    </Account>',
    '  </Response>',
    '</Autodiscover>',
    '',
  ].join('\n');
}

/** The POX error answer (error code 600: invalid request), for a request without an address of a domain here. */
export function autodiscoverError(): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Autodiscover xmlns="${RESPONSE_SCHEMA}">`,
    '  <Response>',
    '    <Error>',
    '      <ErrorCode>600</ErrorCode>',
    '      <Message>Invalid Request</Message>',
    '      <DebugData />',
    '    </Error>',
    '  </Response>',
    '</Autodiscover>',
    '',
  ].join('\n');
}
