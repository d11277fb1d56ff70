/**
 * The search language of `messages(query:)`, Gmail-like:
 *   from:alice to:bob cc:carol subject:"quarterly report" has:attachment is:unread is:flagged
 *   before:2026-01-31 after:2026-01-01 invoice -draft
 * Terms are ANDed; a leading `-` negates one term; double quotes group words; free text matches the decoded
 * headers and body (searchText). Unknown `word:` prefixes are treated as free text, never as errors.
 */
import type { MessageFilterTerm } from '../../../core/mail/message-summary.js';

/** A parsed term: the filter the core message queries understand. */
export type SearchTerm = MessageFilterTerm;

export type SearchParse = { ok: true; terms: SearchTerm[] } | { ok: false; error: string };

/** Most terms one query may hold; each becomes a SQL condition. */
export const MAX_SEARCH_TERMS = 20;
/** Longest query string, in UTF-16 units; checked before the query is scanned at all. */
export const MAX_SEARCH_QUERY_LENGTH = 1000;
/** Longest value of one term: a LIKE or INSTR over 256 KiB of search text costs in proportion to it. */
export const MAX_SEARCH_TERM_LENGTH = 200;

const TEXT_FIELDS = new Set(['from', 'to', 'cc', 'subject']);
const IS_FLAGS: Record<string, { flag: 'seen' | 'flagged' | 'answered' | 'draft'; value: boolean }> = {
  unread: { flag: 'seen', value: false },
  read: { flag: 'seen', value: true },
  seen: { flag: 'seen', value: true },
  unseen: { flag: 'seen', value: false },
  flagged: { flag: 'flagged', value: true },
  starred: { flag: 'flagged', value: true },
  answered: { flag: 'answered', value: true },
  replied: { flag: 'answered', value: true },
  draft: { flag: 'draft', value: true },
};

/** Splits on whitespace outside double quotes; `key:"a b"` stays one token. */
export function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (const char of input) {
    if (char === '"') {
      quoted = !quoted;
      started = true;
      continue;
    }
    if (!quoted && /\s/.test(char)) {
      if (started) tokens.push(current);
      current = '';
      started = false;
      continue;
    }
    current += char;
    started = true;
  }
  if (started) tokens.push(current);
  return tokens;
}

/** `2026-01-31` (UTC midnight) → ms; null when not a valid date. */
function parseDay(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(value);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const check = new Date(ms);
  return check.getUTCDate() === Number(match[3]) && check.getUTCMonth() === Number(match[2]) - 1 ? ms : null;
}

export function parseSearchQuery(input: string): SearchParse {
  if (input.length > MAX_SEARCH_QUERY_LENGTH)
    return { ok: false, error: `a search query has at most ${MAX_SEARCH_QUERY_LENGTH} characters` };
  const terms: SearchTerm[] = [];
  // One pass over the input, then one over its tokens: no backtracking and no RegExp built from the query.
  for (const raw of tokenize(input)) {
    let token = raw;
    let negated = false;
    if (token.startsWith('-') && token.length > 1) {
      negated = true;
      token = token.slice(1);
    }
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? token.slice(colon + 1) : token;
    if (value.length > MAX_SEARCH_TERM_LENGTH)
      return { ok: false, error: `a search term has at most ${MAX_SEARCH_TERM_LENGTH} characters` };
    if (key && TEXT_FIELDS.has(key)) {
      if (value === '') return { ok: false, error: `"${key}:" needs a value` };
      terms.push({ kind: 'text', field: key as 'from' | 'to' | 'cc' | 'subject', value, negated });
    } else if (key === 'has') {
      if (!['attachment', 'attachments'].includes(value.toLowerCase())) return { ok: false, error: `unknown "has:${value}"` };
      terms.push({ kind: 'attachment', negated });
    } else if (key === 'is') {
      const flag = IS_FLAGS[value.toLowerCase()];
      if (!flag) return { ok: false, error: `unknown "is:${value}"` };
      terms.push({ kind: 'flag', ...flag, negated });
    } else if (key === 'before' || key === 'after') {
      const ms = parseDay(value);
      if (ms === null) return { ok: false, error: `"${key}:" wants a date as YYYY-MM-DD` };
      // after:D means on or after D; before:D means strictly before D (both at UTC midnight).
      terms.push({ kind: 'date', op: key, ms, negated });
    } else if (token !== '') {
      terms.push({ kind: 'text', field: 'any', value: token, negated });
    }
    if (terms.length > MAX_SEARCH_TERMS) return { ok: false, error: `at most ${MAX_SEARCH_TERMS} search terms` };
  }
  return { ok: true, terms };
}
