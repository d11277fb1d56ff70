import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { MailhiveConfig } from '../config/config.schema.js';

export type DnsRecordPurpose = 'mx' | 'spf' | 'dkim' | 'dmarc' | 'imaps-srv' | 'submission-srv';

/** One record an administrator publishes for a hosted domain. */
export interface DnsRecordSpec {
  purpose: DnsRecordPurpose;
  type: 'MX' | 'TXT' | 'SRV';
  name: string;
  value: string;
}

export interface DomainDnsInput {
  domain: string;
  hostname: string;
  dkimSelector: string;
  dkimPrivateKeyPem: string | null;
  imapsPort: number;
  submissionPort: number;
}

/**
 * The input of domainDnsRecords for a hosted domain served by this configuration; a port that is off (or 0, picked at
 * start) is published as its standard number, which a firewall or proxy in front is then expected to serve.
 */
export function domainDnsInput(
  domain: { name: string; dkimSelector: string; dkimPrivateKey: string | null },
  hostname: string,
  config: Pick<MailhiveConfig, 'imapsPort' | 'submissionPort'>,
): DomainDnsInput {
  const published = (port: unknown, standard: number): number => (typeof port === 'number' && port > 0 ? port : standard);
  return {
    domain: domain.name,
    hostname,
    dkimSelector: domain.dkimSelector,
    dkimPrivateKeyPem: domain.dkimPrivateKey,
    imapsPort: published(config.imapsPort, 993),
    submissionPort: published(config.submissionPort, 587),
  };
}

/** A record as a zone-file line: `_dmarc.example.org. IN TXT "v=DMARC1; ..."`, long TXT values split (RFC 1035 §3.3). */
export function zoneFileLine(record: DnsRecordSpec): string {
  const value =
    record.type === 'TXT'
      ? record.value
          .match(/.{1,255}/g)!
          .map((part) => `"${part}"`)
          .join(' ')
      : record.value;
  return `${record.name}. IN ${record.type} ${value}`;
}

/** The base64 public key of a DKIM private key, as it goes in the p= tag (RFC 6376 §3.6.1). */
export function dkimPublicKey(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The TXT record that publishes a domain's DKIM key under its selector (RFC 6376 §3.6.1). */
export function dkimRecord(domain: string, selector: string, privateKeyPem: string): DnsRecordSpec {
  return {
    purpose: 'dkim',
    type: 'TXT',
    name: `${selector}._domainkey.${domain}`,
    value: `v=DKIM1; k=rsa; p=${dkimPublicKey(privateKeyPem)}`,
  };
}

/**
 * The records a domain needs: MX to this host, SPF allowing the MX hosts, the DKIM key, a DMARC policy, and the
 * RFC 6186 SRV records with which mail clients find IMAP over TLS and submission.
 */
export function domainDnsRecords(input: DomainDnsInput): DnsRecordSpec[] {
  const { domain, hostname } = input;
  const records: DnsRecordSpec[] = [
    { purpose: 'mx', type: 'MX', name: domain, value: `10 ${hostname}.` },
    { purpose: 'spf', type: 'TXT', name: domain, value: 'v=spf1 mx -all' },
  ];
  if (input.dkimPrivateKeyPem) records.push(dkimRecord(domain, input.dkimSelector, input.dkimPrivateKeyPem));
  records.push(
    { purpose: 'dmarc', type: 'TXT', name: `_dmarc.${domain}`, value: `v=DMARC1; p=quarantine; rua=mailto:postmaster@${domain}` },
    { purpose: 'imaps-srv', type: 'SRV', name: `_imaps._tcp.${domain}`, value: `0 1 ${input.imapsPort} ${hostname}.` },
    { purpose: 'submission-srv', type: 'SRV', name: `_submission._tcp.${domain}`, value: `0 1 ${input.submissionPort} ${hostname}.` },
  );
  return records;
}

const sameHost = (a: string, b: string): boolean => a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');

/**
 * Whether what DNS answers satisfies the record: the MX names this host; an SPF record exists that allows `mx` or
 * this host; the DKIM record carries our key; a DMARC record exists; the SRV points at this host and port.
 * `answer` is node:dns's shape for the type (TXT: string[][], MX: {exchange}, SRV: {name, port}).
 */
export function recordSatisfied(spec: DnsRecordSpec, answer: readonly unknown[], hostname: string): boolean {
  if (spec.type === 'MX') return answer.some((record) => sameHost((record as { exchange: string }).exchange, hostname));
  if (spec.type === 'SRV') {
    const port = Number(spec.value.split(' ')[2]);
    return answer.some((record) => sameHost((record as { name: string }).name, hostname) && (record as { port: number }).port === port);
  }
  const texts = answer.map((record) => (Array.isArray(record) ? record.join('') : String(record)).trim());
  if (spec.purpose === 'spf') {
    return texts.some(
      (text) =>
        /^v=spf1\s/i.test(text) &&
        text.split(/\s+/).some((term) => /^[+]?mx$/i.test(term) || sameHost(term.replace(/^[+]?a:/i, ''), hostname)),
    );
  }
  if (spec.purpose === 'dkim') {
    const key = /p=([^;]+)/.exec(spec.value)?.[1];
    return texts.some((text) => /(?:^|;)\s*p=([^;]+)/.exec(text)?.[1]?.replace(/\s+/g, '') === key);
  }
  return texts.some((text) => /^v=DMARC1\s*;/i.test(text));
}
