import { createHash } from 'node:crypto';
import type { MailEndpoints } from './mail-endpoints.js';
import { xmlText } from './xml-text.js';

/** A stable UUID made from a name, so that installing the profile again replaces the one installed before. */
function nameUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

/**
 * An Apple configuration profile (.mobileconfig) with one IMAP mail account, for iOS, iPadOS and macOS Mail. It is
 * not signed: the device shows it as "Unsigned" when it is installed. It holds no password; the device asks for it.
 */
export function appleMobileconfig(address: string, displayName: string, endpoints: MailEndpoints): string | null {
  const incoming = endpoints.imap[0];
  const outgoing = endpoints.smtp[0];
  if (!incoming || !outgoing) return null;
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const identifier = `${endpoints.hostname.split('.').reverse().join('.')}.mailhive.${address}`;
  const entry = (key: string, value: string) => `\t\t\t<key>${key}</key>\n\t\t\t${value}`;
  const text = (value: string | number) => `<string>${xmlText(value)}</string>`;
  const bool = (value: boolean) => (value ? '<true/>' : '<false/>');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>PayloadContent</key>',
    '\t<array>',
    '\t\t<dict>',
    entry('EmailAccountDescription', text(address)),
    entry('EmailAccountName', text(displayName || address)),
    entry('EmailAccountType', text('EmailTypeIMAP')),
    entry('EmailAddress', text(address)),
    entry('IncomingMailServerAuthentication', text('EmailAuthPassword')),
    entry('IncomingMailServerHostName', text(endpoints.hostname)),
    entry('IncomingMailServerPortNumber', `<integer>${incoming.port}</integer>`),
    entry('IncomingMailServerUseSSL', bool(incoming.socket === 'SSL')),
    entry('IncomingMailServerUsername', text(address)),
    entry('OutgoingMailServerAuthentication', text('EmailAuthPassword')),
    entry('OutgoingMailServerHostName', text(endpoints.hostname)),
    entry('OutgoingMailServerPortNumber', `<integer>${outgoing.port}</integer>`),
    entry('OutgoingMailServerUseSSL', bool(outgoing.socket === 'SSL')),
    entry('OutgoingMailServerUsername', text(address)),
    entry('OutgoingPasswordSameAsIncomingPassword', bool(true)),
    entry('PayloadDisplayName', text(`${address}`)),
    entry('PayloadIdentifier', text(`${identifier}.email`)),
    entry('PayloadType', text('com.apple.mail.managed')),
    entry('PayloadUUID', text(nameUuid(`${identifier}.email`))),
    entry('PayloadVersion', '<integer>1</integer>'),
    '\t\t</dict>',
    '\t</array>',
    '\t<key>PayloadDescription</key>',
    `\t${text(`Mail account ${address}`)}`,
    '\t<key>PayloadDisplayName</key>',
    `\t${text(`Mail (${domain})`)}`,
    '\t<key>PayloadIdentifier</key>',
    `\t${text(identifier)}`,
    '\t<key>PayloadRemovalDisallowed</key>',
    '\t<false/>',
    '\t<key>PayloadType</key>',
    `\t${text('Configuration')}`,
    '\t<key>PayloadUUID</key>',
    `\t${text(nameUuid(identifier))}`,
    '\t<key>PayloadVersion</key>',
    '\t<integer>1</integer>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
