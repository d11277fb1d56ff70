import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dkimPublicKey, domainDnsRecords, recordSatisfied } from './domain-records.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const records = domainDnsRecords({
  domain: 'a.example',
  hostname: 'mail.a.example',
  dkimSelector: 'mh1',
  dkimPrivateKeyPem: pem,
  imapsPort: 993,
  submissionPort: 587,
});
const spec = (purpose: string) => records.find((record) => record.purpose === purpose)!;

describe('domain DNS records', () => {
  it('lists MX, SPF, DKIM, DMARC and the RFC 6186 SRV records', () => {
    expect(records.map((record) => `${record.type} ${record.name}`)).toEqual([
      'MX a.example',
      'TXT a.example',
      'TXT mh1._domainkey.a.example',
      'TXT _dmarc.a.example',
      'SRV _imaps._tcp.a.example',
      'SRV _submission._tcp.a.example',
    ]);
    expect(spec('dkim').value).toBe(`v=DKIM1; k=rsa; p=${dkimPublicKey(pem)}`);
    expect(spec('imaps-srv').value).toBe('0 1 993 mail.a.example.');
  });

  it('checks answers in node:dns shapes', () => {
    expect(recordSatisfied(spec('mx'), [{ exchange: 'MAIL.a.example', priority: 10 }], 'mail.a.example')).toBe(true);
    expect(recordSatisfied(spec('mx'), [{ exchange: 'other.example', priority: 10 }], 'mail.a.example')).toBe(false);
    expect(recordSatisfied(spec('spf'), [['v=spf1 ', 'mx ~all']], 'mail.a.example')).toBe(true);
    expect(recordSatisfied(spec('spf'), [['v=spf1 include:other.example -all']], 'mail.a.example')).toBe(false);
    const key = dkimPublicKey(pem);
    expect(recordSatisfied(spec('dkim'), [['v=DKIM1; k=rsa; p=', key.slice(0, 100), key.slice(100)]], 'mail.a.example')).toBe(true);
    expect(recordSatisfied(spec('dkim'), [['v=DKIM1; k=rsa; p=AAAA']], 'mail.a.example')).toBe(false);
    expect(recordSatisfied(spec('dmarc'), [['v=DMARC1; p=none']], 'mail.a.example')).toBe(true);
    expect(recordSatisfied(spec('submission-srv'), [{ name: 'mail.a.example', port: 587, priority: 0, weight: 1 }], 'mail.a.example')).toBe(
      true,
    );
    expect(recordSatisfied(spec('submission-srv'), [{ name: 'mail.a.example', port: 25, priority: 0, weight: 1 }], 'mail.a.example')).toBe(
      false,
    );
  });
});
