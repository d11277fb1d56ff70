import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'CNAME';

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** Records by lower-case name, then type: `{ "example.org": { "MX": [{ "exchange": "...", "priority": 10 }] } }`. */
export type DnsFixtures = Record<string, Partial<Record<RecordType, unknown[]>>>;

/** How long answers (and "no such record") are reused; node:dns itself caches nothing. */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 10_000;

/** An error shaped like node:dns's, so mailauth tells "no such record" from a failure. */
export class DnsError extends Error {
  constructor(readonly code: 'ENOTFOUND' | 'ENODATA' | 'ESERVFAIL', name: string, rrtype: string) {
    super(`${rrtype} ${name}: ${code}`);
  }
}

/**
 * The one way Mailhive reaches DNS (SPF, DKIM, DMARC, ARC, MX). With MAILHIVE_DNS_FIXTURES it answers from a JSON
 * file instead, so tests run offline with records of their own.
 */
@Injectable()
export class DnsResolver {
  private readonly fixtures: DnsFixtures | null;
  private readonly resolver = new Resolver({ timeout: 5000, tries: 2 });
  private readonly cache = new Map<string, { until: number; answer: Promise<never[]> }>();

  constructor(@Inject(MAILHIVE_CONFIG) config: MailhiveConfig) {
    this.fixtures = config.dnsFixtures ? parseFixtures(readFileSync(config.dnsFixtures, 'utf8')) : null;
  }

  /** node:dns `resolve(name, rrtype)` semantics: TXT gives string[][], MX gives {exchange, priority}[]. */
  readonly resolve = async (name: string, rrtype: string): Promise<never[]> => {
    const type = rrtype.toUpperCase();
    if (this.fixtures) {
      const entry = this.fixtures[name.toLowerCase().replace(/\.$/, '')];
      if (!entry) throw new DnsError('ENOTFOUND', name, type);
      const records = entry[type as RecordType];
      if (!records || records.length === 0) throw new DnsError('ENODATA', name, type);
      return records as never[];
    }
    return this.cached(`${type} ${name.toLowerCase()}`, () => this.resolver.resolve(name, type) as Promise<never[]>);
  };

  /** Answers and definite "no such record" errors are kept for a minute; failures (timeouts, SERVFAIL) are not. */
  private cached(key: string, lookup: () => Promise<never[]>): Promise<never[]> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.answer;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    const answer = lookup();
    this.cache.set(key, { until: now + CACHE_TTL_MS, answer });
    answer.catch((error: unknown) => {
      if (!isMissing(error)) this.cache.delete(key);
    });
    return answer;
  }

  /** MX hosts by preference; null when the domain has no MX record (RFC 5321 §5.1: fall back to its address). */
  async mx(domain: string): Promise<MxRecord[] | null> {
    try {
      const records = await this.resolve(domain, 'MX') as MxRecord[];
      return [...records].sort((a, b) => a.priority - b.priority);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Host names of an address (PTR); empty when it has none. */
  async reverse(ip: string): Promise<string[]> {
    if (this.fixtures) {
      try {
        return await this.resolve(ip, 'PTR') as string[];
      } catch {
        return [];
      }
    }
    try {
      return await this.cached(`PTR ${ip}`, () => this.resolver.reverse(ip) as Promise<never[]>);
    } catch {
      return [];
    }
  }

  /** IPv4 then IPv6 addresses of a host; empty when it has none. */
  async addresses(host: string): Promise<string[]> {
    const result: string[] = [];
    for (const type of ['A', 'AAAA'] as const) {
      try {
        result.push(...await this.resolve(host, type) as string[]);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return result;
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

function parseFixtures(text: string): DnsFixtures {
  const parsed = JSON.parse(text) as DnsFixtures;
  const result: DnsFixtures = {};
  for (const [name, records] of Object.entries(parsed)) result[name.toLowerCase().replace(/\.$/, '')] = records;
  return result;
}
