import { isMissing } from '../dns/dns-resolver.service.js';
import { dkimPublicKey } from '../dns/domain-records.js';

/**
 * Whether DNS publishes the key a domain signs with: `missing` (no record), `different` (a record with another key,
 * e.g. after a key was generated anew), `unknown` (DNS did not answer).
 */
export type DkimPublication = 'published' | 'missing' | 'different' | 'unknown';

type TxtResolver = (name: string, rrtype: 'TXT') => Promise<string[][]>;

export async function dkimPublication(
  resolve: TxtResolver,
  domain: string,
  selector: string,
  privateKeyPem: string,
): Promise<DkimPublication> {
  const expected = dkimPublicKey(privateKeyPem);
  let records: string[][];
  try {
    records = await resolve(`${selector}._domainkey.${domain}`, 'TXT');
  } catch (error) {
    return isMissing(error) ? 'missing' : 'unknown';
  }
  // RFC 6376 §3.6.2.2: a record's strings are concatenated; tags are separated by ";" with optional whitespace.
  const keys = records.map((strings) => /(?:^|;)\s*p=([^;]*)/.exec(strings.join(''))?.[1]?.replace(/\s+/g, '') ?? null);
  if (keys.every((key) => key === null)) return 'missing';
  return keys.includes(expected) ? 'published' : 'different';
}
