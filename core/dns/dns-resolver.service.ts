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

/** How long answers are reused; node:dns itself caches nothing. */
const ANSWER_TTL_MS = 60_000;
/**
 * How long "no such record" is reused. node:dns does not pass on the zone's SOA minimum (RFC 2308 §5), so this is
 * kept short: a record published a moment ago (an administrator adding DKIM or SPF) shows up within seconds, while
 * the misses one message causes (DKIM keys, DMARC and ARC records most domains lack) are asked once per burst.
 */
const MISS_TTL_MS = 5_000;
/** Entries kept at most; the oldest goes first. */
const CACHE_MAX = 10_000;

export type DnsErrorCode = 'ENOTFOUND' | 'ENODATA' | 'ESERVFAIL';
type MissingCode = Extract<DnsErrorCode, 'ENOTFOUND' | 'ENODATA'>;

/** False only under --frozen-intrinsics, where Error.stackTraceLimit cannot be set. */
const STACK_LIMIT_WRITABLE = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')?.writable ?? Object.isExtensible(Error);

/**
 * An error shaped like node:dns's, so mailauth tells "no such record" from a failure by `code`. It carries no stack
 * trace: a negative answer is routine (SPF, DKIM, DMARC and ARC ask for records most domains do not publish), it
 * never points at a bug, and capturing the stack costs more than the fixture lookup itself.
 */
export class DnsError extends Error {
  readonly code: DnsErrorCode;

  constructor(code: DnsErrorCode, name: string, rrtype: string) {
    const limit = Error.stackTraceLimit;
    if (STACK_LIMIT_WRITABLE) Error.stackTraceLimit = 0;
    super(`${rrtype} ${name}: ${code}`);
    if (STACK_LIMIT_WRITABLE) Error.stackTraceLimit = limit;
    this.code = code;
  }
}

type CacheEntry = { until: number; answer: Promise<never[]> } | { until: number; missing: MissingCode };

/**
 * The one way Mailhive reaches DNS (SPF, DKIM, DMARC, ARC, MX). With MAILHIVE_DNS_FIXTURES it answers from a JSON
 * file instead, so tests run offline with records of their own.
 */
@Injectable()
export class DnsResolver {
  private readonly fixtures: DnsFixtures | null;
  private readonly resolver = new Resolver({ timeout: 5000, tries: 2 });
  private readonly cache = new Map<string, CacheEntry>();

  constructor(@Inject(MAILHIVE_CONFIG) config: MailhiveConfig) {
    this.fixtures = config.dnsFixtures ? parseFixtures(readFileSync(config.dnsFixtures, 'utf8')) : null;
  }

  /**
   * node:dns `resolve(name, rrtype)` semantics: TXT gives string[][], MX gives {exchange, priority}[]. Not async, so
   * that a fixture miss rejects without unwinding a throw.
   */
  readonly resolve = (name: string, rrtype: string): Promise<never[]> => {
    const type = rrtype.toUpperCase();
    if (this.fixtures) return this.fromFixtures(name, type);
    return this.cached(type, name.toLowerCase(), async () => this.resolver.resolve(name, type) as Promise<never[]>);
  };

  private fromFixtures(name: string, type: string): Promise<never[]> {
    const lower = name.toLowerCase();
    const entry = this.fixtures?.[lower.endsWith('.') ? lower.slice(0, -1) : lower];
    if (!entry) return Promise.reject(new DnsError('ENOTFOUND', name, type));
    const records = entry[type as RecordType];
    if (!records || records.length === 0) return Promise.reject(new DnsError('ENODATA', name, type));
    return Promise.resolve(records as never[]);
  }

  /**
   * Answers are kept for ANSWER_TTL_MS, definite "no such record" for MISS_TTL_MS, failures (timeouts, SERVFAIL)
   * not at all. Concurrent askers share the lookup in flight; a cached miss is a fresh DnsError for each asker.
   */
  private cached(type: string, name: string, lookup: () => Promise<never[]>): Promise<never[]> {
    const key = `${type} ${name}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return 'missing' in hit ? Promise.reject(new DnsError(hit.missing, name, type)) : hit.answer;
    // Deleted and set again, so that Map order stays insertion order and the first key is the oldest entry.
    if (hit) this.cache.delete(key);
    else if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    const answer = lookup();
    const entry: CacheEntry = { until: now + ANSWER_TTL_MS, answer };
    this.cache.set(key, entry);
    answer.catch((error: unknown) => {
      if (this.cache.get(key) !== entry) return;
      const code = missingCode(error);
      if (code) this.cache.set(key, { until: Date.now() + MISS_TTL_MS, missing: code });
      else this.cache.delete(key);
    });
    return answer;
  }

  /**
   * MX hosts by preference, those of equal preference in random order to spread the load (RFC 5321 §5.1); null when
   * the domain has no MX record (then its own address is used).
   */
  async mx(domain: string): Promise<MxRecord[] | null> {
    try {
      const records = (await this.resolve(domain, 'MX')) as MxRecord[];
      return records
        .map((record) => ({ record, draw: Math.random() }))
        .sort((a, b) => a.record.priority - b.record.priority || a.draw - b.draw)
        .map(({ record }) => record);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Host names of an address (PTR); empty when it has none. */
  async reverse(ip: string): Promise<string[]> {
    if (this.fixtures) {
      try {
        return (await this.resolve(ip, 'PTR')) as string[];
      } catch {
        return [];
      }
    }
    try {
      return await this.cached('PTR', ip, () => this.resolver.reverse(ip) as Promise<never[]>);
    } catch {
      return [];
    }
  }

  /** IPv4 then IPv6 addresses of a host; empty when it has none. */
  async addresses(host: string): Promise<string[]> {
    const result: string[] = [];
    for (const type of ['A', 'AAAA'] as const) {
      try {
        result.push(...((await this.resolve(host, type)) as string[]));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return result;
  }
}

export function isMissing(error: unknown): boolean {
  return missingCode(error) !== null;
}

function missingCode(error: unknown): MissingCode | null {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA' ? code : null;
}

function parseFixtures(text: string): DnsFixtures {
  const parsed = JSON.parse(text) as DnsFixtures;
  const result: DnsFixtures = {};
  for (const [name, records] of Object.entries(parsed)) result[name.toLowerCase().replace(/\.$/, '')] = records;
  return result;
}
