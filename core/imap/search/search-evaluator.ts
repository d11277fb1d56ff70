import { decodeWords, searchTextBody } from '../../mime/decoded-text.js';
import { fieldValue, parseHeader } from '../../mime/header.parser.js';
import type { EnvelopeAddress } from '../../mime/message-analysis.types.js';
import type { MessageDetail, MessageMeta } from '../imap-backend.js';
import type { SearchKey } from '../protocol/search-query.js';
import { sequenceMembership, type SequenceRange } from '../protocol/sequence-set.js';
import { sentDay } from './sent-day.js';

/** What evaluating a key needs beyond metadata. */
export type SearchNeed = 'meta' | 'detail' | 'raw';

export function searchNeed(key: SearchKey): SearchNeed {
  switch (key.kind) {
    case 'header':
      return 'raw';
    case 'text':
      return 'detail';
    // The sent date's own day comes from the Date header in the cached envelope.
    case 'date':
      return key.which === 'sent' ? 'detail' : 'meta';
    case 'not':
      return searchNeed(key.key);
    case 'or':
      return maxNeed(searchNeed(key.left), searchNeed(key.right));
    case 'and':
      return key.keys.map(searchNeed).reduce(maxNeed, 'meta');
    default:
      return 'meta';
  }
}

/** Whether evaluating the key reads the stored search text (TEXT and BODY). */
export function needsSearchText(key: SearchKey): boolean {
  switch (key.kind) {
    case 'text':
      return key.field === 'text' || key.field === 'body';
    case 'not':
      return needsSearchText(key.key);
    case 'or':
      return needsSearchText(key.left) || needsSearchText(key.right);
    case 'and':
      return key.keys.some(needsSearchText);
    default:
      return false;
  }
}

export function maxNeed(a: SearchNeed, b: SearchNeed): SearchNeed {
  const order: SearchNeed[] = ['meta', 'detail', 'raw'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))];
}

export interface SearchCandidate {
  seq: number;
  meta: MessageMeta;
  detail: MessageDetail | null;
  raw: Buffer | null;
}

export interface SearchScope {
  /** Sequence number → UID list of the session. */
  uids: readonly number[];
  savedSearch: ReadonlySet<number>;
  /** UIDs that are \Recent in this session (none in IMAP4rev2). */
  recent: ReadonlySet<number>;
  now: number;
}

/** Evaluates a search key on one message (RFC 3501 §6.4.4, RFC 9051 §6.4.4): text keys are case-insensitive substrings. */
export function matches(key: SearchKey, message: SearchCandidate, scope: SearchScope): boolean {
  switch (key.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'flag':
      return message.meta.flags.some((flag) => flag.toLowerCase() === `\\${key.flag}`) === key.set;
    case 'keyword':
      return message.meta.flags.some((flag) => flag.toLowerCase() === key.keyword.toLowerCase()) === key.set;
    case 'text':
      return textMatches(key.field, key.value, message);
    case 'header':
      return headerMatches(key.field, key.value, message);
    case 'date': {
      // Dates compare by day, disregarding time and timezone (RFC 3501 §6.4.4): the internal date's day in UTC, the
      // sent date's as the Date header wrote it (sent-day.ts); without a readable header, the stored instant's.
      const sent = key.which === 'sent' ? sentDay(message.detail?.structure.envelope.date ?? null) : null;
      const day = sent ?? utcDay(key.which === 'internal' ? message.meta.internalDate : message.meta.sentDate);
      return key.op === 'before' ? day < key.day : key.op === 'on' ? day === key.day : day >= key.day;
    }
    case 'size':
      return key.op === 'larger' ? message.meta.size > key.size : message.meta.size < key.size;
    case 'uid':
      if (key.set.kind === 'saved') return scope.savedSearch.has(message.meta.uid);
      return inRange(key.set.ranges, message.meta.uid, scope.uids[scope.uids.length - 1] ?? 0);
    case 'seq':
      if (key.set.kind === 'saved') return scope.savedSearch.has(message.meta.uid);
      return inRange(key.set.ranges, message.seq, scope.uids.length);
    case 'modseq':
      return message.meta.modseq >= key.modseq;
    case 'recent':
      return scope.recent.has(message.meta.uid) === key.set;
    case 'older':
      return message.meta.internalDate <= scope.now - key.seconds * 1000;
    case 'younger':
      return message.meta.internalDate >= scope.now - key.seconds * 1000;
    case 'not':
      return !matches(key.key, message, scope);
    case 'or':
      return matches(key.left, message, scope) || matches(key.right, message, scope);
    case 'and':
      return key.keys.every((inner) => matches(inner, message, scope));
  }
}

function utcDay(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** Membership tests by set: built once per search, not a scan of every range for every message. */
const memberships = new WeakMap<readonly SequenceRange[], { largest: number; test: (value: number) => boolean }>();

/** `*` is the largest number in use; ranges may be reversed. */
function inRange(ranges: readonly SequenceRange[], value: number, largest: number): boolean {
  let membership = memberships.get(ranges);
  if (membership?.largest !== largest) {
    membership = { largest, test: sequenceMembership(ranges, largest) };
    memberships.set(ranges, membership);
  }
  return membership.test(value);
}

function includes(haystack: string | null | undefined, needle: string): boolean {
  if (!haystack) return false;
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

function addressText(list: EnvelopeAddress[] | null): string {
  return (list ?? [])
    .map((address) => `${address.name ? decodeWords(address.name) : ''} <${address.mailbox ?? ''}@${address.host ?? ''}>`)
    .join(', ');
}

function textMatches(field: string, value: string, message: SearchCandidate): boolean {
  const detail = message.detail;
  if (!detail) return false;
  const envelope = detail.structure.envelope;
  // A repeated Subject: the stored subject is the first, the envelope's the last; either matches (RFC 3501 §6.4.4
  // SUBJECT looks in "the envelope structure's SUBJECT field", Dovecot in every Subject field).
  if (field === 'subject')
    return includes(detail.subject, value) || includes(envelope.subject === null ? null : decodeWords(envelope.subject), value);
  switch (field) {
    case 'from':
      return includes(addressText(envelope.from), value);
    case 'to':
      return includes(addressText(envelope.to), value);
    case 'cc':
      return includes(addressText(envelope.cc), value);
    case 'bcc':
      return includes(addressText(envelope.bcc), value);
    // The stored search text holds decoded header fields then the text parts; TEXT means both (RFC 3501 §6.4.4).
    case 'text':
      return includes(detail.searchText, value);
    default:
      return includes(searchTextBody(detail.searchText), value);
  }
}

function headerMatches(field: string, value: string, message: SearchCandidate): boolean {
  const raw = message.raw;
  const root = message.detail?.structure.root;
  if (!raw || !root) return false;
  const header = parseHeader(raw, root.headerStart, root.bodyStart);
  const name = field.toLowerCase();
  return header.fields.some((candidate) => {
    if (candidate.name !== name) return false;
    // RFC 3501 §6.4.4: HEADER with an empty string matches every message that has the field.
    if (value === '') return true;
    return includes(decodeWords(fieldValue(raw, candidate)), value);
  });
}
