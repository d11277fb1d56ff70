import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loadConfig } from '../config/config.loader.js';
import { DnsError, DnsResolver, isMissing } from './dns-resolver.service.js';

const dir = mkdtempSync(join(tmpdir(), 'mailhive-dns-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A node:dns error as c-ares reports it. */
function nodeDnsError(code: string, name: string): Error {
  return Object.assign(new Error(`queryTxt ${code} ${name}`), { code, hostname: name, syscall: 'queryTxt' });
}

describe('DnsError', () => {
  it('carries the code mailauth tests, and no stack frames', () => {
    const error = new DnsError('ENODATA', 'selector._domainkey.example.org', 'TXT');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ENODATA');
    expect(error.message).toBe('TXT selector._domainkey.example.org: ENODATA');
    expect(error.stack).not.toContain('\n    at ');
    expect(isMissing(error)).toBe(true);
  });

  it('leaves the stack traces of other errors alone', () => {
    const limit = Error.stackTraceLimit;
    void new DnsError('ENOTFOUND', 'nowhere.example', 'A');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('a bug').stack).toContain('\n    at ');
  });

  it('tells a missing record from a failure', () => {
    expect(isMissing(new DnsError('ESERVFAIL', 'example.org', 'TXT'))).toBe(false);
    expect(isMissing(nodeDnsError('ETIMEOUT', 'example.org'))).toBe(false);
    expect(isMissing(nodeDnsError('ENOTFOUND', 'example.org'))).toBe(true);
    expect(isMissing(null)).toBe(false);
  });
});

describe('DnsResolver with fixtures', () => {
  const file = join(dir, 'dns.json');
  writeFileSync(
    file,
    JSON.stringify({
      'Example.ORG.': {
        TXT: [['v=spf1 -all']],
        MX: [
          { exchange: 'mx2.example.org', priority: 20 },
          { exchange: 'mx1.example.org', priority: 10 },
        ],
        A: [],
      },
      'shared.example': {
        MX: [
          { exchange: 'backup.shared.example', priority: 50 },
          { exchange: 'a.shared.example', priority: 10 },
          { exchange: 'b.shared.example', priority: 10 },
        ],
      },
    }),
  );
  const dns = new DnsResolver(loadConfig({ MAILHIVE_DATA_DIR: dir, MAILHIVE_DNS_FIXTURES: file }));

  it('answers from the file, names case-insensitive and with or without the final dot', async () => {
    await expect(dns.resolve('example.org.', 'txt')).resolves.toEqual([['v=spf1 -all']]);
    await expect(dns.mx('EXAMPLE.org')).resolves.toEqual([
      { exchange: 'mx1.example.org', priority: 10 },
      { exchange: 'mx2.example.org', priority: 20 },
    ]);
  });

  it('puts MX hosts of equal preference in random order, always before the less preferred ones', async () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const hosts = (await dns.mx('shared.example'))!.map((record) => record.exchange);
      expect([...hosts.slice(0, 2)].sort()).toEqual(['a.shared.example', 'b.shared.example']);
      expect(hosts[2]).toBe('backup.shared.example');
      firsts.add(hosts[0]!);
    }
    // Each order has probability 1/2 per draw: both show up in 100 draws but for a chance of 2^-99.
    expect([...firsts].sort()).toEqual(['a.shared.example', 'b.shared.example']);
  });

  it('says ENOTFOUND for an unknown name and ENODATA for a known name without the type', async () => {
    await expect(dns.resolve('_dmarc.example.org', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(dns.resolve('example.org', 'AAAA')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(dns.resolve('example.org', 'A')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(dns.mx('nowhere.example')).resolves.toBeNull();
    await expect(dns.addresses('example.org')).resolves.toEqual([]);
    await expect(dns.reverse('192.0.2.1')).resolves.toEqual([]);
  });
});

describe('DnsResolver cache of real lookups', () => {
  const dns = () => new DnsResolver(loadConfig({ MAILHIVE_DATA_DIR: dir }));
  let lookup: MockInstance<Resolver['resolve']>;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    lookup = vi.spyOn(Resolver.prototype, 'resolve');
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('reuses an answer for a minute', async () => {
    lookup.mockResolvedValue([['v=spf1 -all']] as never);
    const resolver = dns();
    await expect(resolver.resolve('example.org', 'TXT')).resolves.toEqual([['v=spf1 -all']]);
    vi.advanceTimersByTime(59_000);
    await expect(resolver.resolve('EXAMPLE.org', 'txt')).resolves.toEqual([['v=spf1 -all']]);
    expect(lookup).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2_000);
    await resolver.resolve('example.org', 'TXT');
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('reuses "no such record" for a few seconds only, each asker getting an error of its own', async () => {
    lookup.mockRejectedValue(nodeDnsError('ENODATA', '_dmarc.example.org'));
    const resolver = dns();
    await expect(resolver.resolve('_dmarc.example.org', 'TXT')).rejects.toMatchObject({ code: 'ENODATA' });
    const first = await resolver.resolve('_dmarc.example.org', 'TXT').catch((error: unknown) => error);
    const second = await resolver.resolve('_dmarc.example.org', 'TXT').catch((error: unknown) => error);
    expect(first).toBeInstanceOf(DnsError);
    expect(first).toMatchObject({ code: 'ENODATA' });
    expect(second).not.toBe(first);
    expect(lookup).toHaveBeenCalledTimes(1);
    // The record is published: it shows up once the miss has expired.
    lookup.mockResolvedValue([['v=DMARC1; p=none']] as never);
    vi.advanceTimersByTime(6_000);
    await expect(resolver.resolve('_dmarc.example.org', 'TXT')).resolves.toEqual([['v=DMARC1; p=none']]);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('shares a lookup in flight and does not keep failures', async () => {
    lookup.mockRejectedValue(nodeDnsError('ETIMEOUT', 'example.org'));
    const resolver = dns();
    const both = await Promise.allSettled([resolver.resolve('example.org', 'MX'), resolver.resolve('example.org', 'MX')]);
    expect(both.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(lookup).toHaveBeenCalledTimes(1);
    await expect(resolver.mx('example.org')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('keeps at most ten thousand entries, dropping the oldest', async () => {
    lookup.mockImplementation(async (name: string) => [[name]] as never);
    const resolver = dns();
    for (let i = 0; i <= 10_000; i++) await resolver.resolve(`host${i}.example`, 'TXT');
    expect(lookup).toHaveBeenCalledTimes(10_001);
    await resolver.resolve('host10000.example', 'TXT');
    await resolver.resolve('host1.example', 'TXT');
    expect(lookup).toHaveBeenCalledTimes(10_001);
    await resolver.resolve('host0.example', 'TXT');
    expect(lookup).toHaveBeenCalledTimes(10_002);
  });
});
