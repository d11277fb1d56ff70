import { normalizeDomain } from '../../envelope/address.js';
import type { ParsedHeader } from '../../mime/header.parser.js';
import { authenticatesDomain, type InboundAuthResult } from '../inbound-auth.service.js';
import { fromFields } from '../sender-policy.js';
import { REPLIES, type SmtpReply } from '../smtp-reply.js';

/**
 * Most addresses one From field list may name. RFC 5322 §3.6.2 allows several authors, but a real message names a
 * handful; every address costs a lookup in the checks below, so the count a client controls is bounded here.
 */
export const MAX_FROM_ADDRESSES = 100;

export type FromCheck = { kind: 'ok'; addresses: string[] } | { kind: 'refused'; reply: SmtpReply };

/**
 * The From field(s) of a message, checked on every port before any sender policy reads them: at most one field
 * (RFC 5322 §3.6: From occurs exactly once; with two, the reader's client picks one and the checks another) and at
 * most MAX_FROM_ADDRESSES addresses.
 */
export function checkFromFields(head: Buffer, header: ParsedHeader): FromCheck {
  const from = fromFields(head, header);
  if (from.count > 1) return { kind: 'refused', reply: REPLIES.repeatedFrom };
  if (from.addresses.length > MAX_FROM_ADDRESSES) return { kind: 'refused', reply: REPLIES.tooManyFromAddresses };
  return { kind: 'ok', addresses: from.addresses };
}

/**
 * The first domain among the From addresses that is hosted here but that the message is not authenticated as
 * coming from; null when there is none. Every address is checked, members of a group included: a reader sees each
 * of them as an author, so one forged hosted address among others is as much a forgery as a single one.
 */
export async function unauthenticatedHostedDomain(
  addresses: string[],
  auth: InboundAuthResult,
  isHostedDomain: (domain: string) => Promise<boolean>,
): Promise<string | null> {
  const domains = new Set<string>();
  for (const address of addresses) {
    const domain = normalizeDomain(address.slice(address.lastIndexOf('@') + 1));
    if (domain && !authenticatesDomain(auth, domain)) domains.add(domain);
  }
  for (const domain of domains) if (await isHostedDomain(domain)) return domain;
  return null;
}
