import { dkimPublicKey } from '../dns/domain-records.js';

/** The DNS TXT record that publishes a domain's DKIM key (RFC 6376 §3.6.1), as a zone-file line. */
export function dkimTxtRecord(domain: string, selector: string, privateKeyPem: string): string {
  const value = `v=DKIM1; k=rsa; p=${dkimPublicKey(privateKeyPem)}`;
  // A TXT character-string holds at most 255 bytes (RFC 1035 §3.3), so long keys are split.
  const strings = value
    .match(/.{1,255}/g)!
    .map((part) => `"${part}"`)
    .join(' ');
  return `${selector}._domainkey.${domain}. IN TXT ( ${strings} )`;
}
