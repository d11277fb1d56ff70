import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DnsError } from '../dns/dns-resolver.service.js';
import { dkimRecord, zoneFileLine } from '../dns/domain-records.js';
import { dkimPublication } from './dkim-publication.js';

const key = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The TXT strings of the zone-file line of a DKIM record. */
function txtStrings(record: string): string[] {
  return [...record.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
}

describe('dkimPublication', () => {
  const ours = key();

  it('finds the key published, split over several strings', async () => {
    const strings = txtStrings(zoneFileLine(dkimRecord('x.example', 'sel', ours)));
    expect(strings.length).toBeGreaterThan(0);
    expect(await dkimPublication(async () => [strings], 'x.example', 'sel', ours)).toBe('published');
  });

  it('tells a record of another key from none at all and from a DNS failure', async () => {
    const other = txtStrings(zoneFileLine(dkimRecord('x.example', 'sel', key())));
    expect(await dkimPublication(async () => [other], 'x.example', 'sel', ours)).toBe('different');
    expect(await dkimPublication(() => Promise.reject(new DnsError('ENOTFOUND', 'n', 'TXT')), 'x.example', 'sel', ours)).toBe('missing');
    expect(await dkimPublication(async () => [['v=spf1 -all']], 'x.example', 'sel', ours)).toBe('missing');
    expect(
      await dkimPublication(() => Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })), 'x.example', 'sel', ours),
    ).toBe('unknown');
  });
});
