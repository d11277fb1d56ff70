// A1 SORT (REVERSE DATE SUBJECT) UTF-8 UNSEEN   /   A1 UID SORT (FROM) US-ASCII ALL
import { defineCommand, no, ok } from '../imap-command.js';
import type { EnvelopeAddress } from '../../mime/message-analysis.types.js';
import { decodeWords } from '../../mime/decoded-text.js';
import { BadArguments } from '../protocol/command-args.js';
import { atom } from '../protocol/imap-writer.js';
import { parseSearch, type SearchKey } from '../protocol/search-query.js';
import { baseSubject } from '../search/base-subject.js';
import type { SearchCandidate } from '../search/search-evaluator.js';
import { findMessages } from '../search/search-runner.js';
import { decodeSearchString } from './search.command.js';

type SortKey = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
const KEYS = new Set<string>(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);

interface SortCriterion {
  key: SortKey;
  reverse: boolean;
}

/** RFC 5256 SORT; ties are broken by sequence number. */
export const sortCommand = defineCommand({
  verbs: ['SORT', 'UID SORT'],
  states: ['selected'],
  allowsExpunge: false,
  parse(args) {
    const criteria: SortCriterion[] = [];
    let reverse = false;
    for (const item of args.list('sort criteria')) {
      const name = item.kind === 'atom' ? item.value.toUpperCase() : '';
      if (name === 'REVERSE') {
        reverse = true;
        continue;
      }
      if (!KEYS.has(name)) throw new BadArguments(`Unknown sort key ${name.slice(0, 20)}`);
      criteria.push({ key: name as SortKey, reverse });
      reverse = false;
    }
    if (criteria.length === 0 || reverse) throw new BadArguments('Invalid sort criteria');
    const charset = args.string('charset');
    const rest = [];
    while (args.remaining > 0) rest.push(args.any());
    const query = parseSearch(rest, (bytes) => decodeSearchString(bytes, charset));
    if (typeof query === 'string') throw new BadArguments(query);
    return { criteria, charset, key: query.key };
  },
  async run(ctx, { criteria, charset, key }) {
    if (decodeSearchString(Buffer.alloc(0), charset) === null) return no('Unsupported charset', 'BADCHARSET (UTF-8 US-ASCII)');
    const found = await findMessages(ctx, key as SearchKey, 'detail');
    // Each message's sort values computed once, not in every one of the n log n comparisons.
    const keyed = found.map((message) => ({ message, values: criteria.map(({ key }) => sortValue(message, key)) }));
    const sorted = keyed.sort((a, b) => compare(a, b, criteria)).map(({ message }) => message);
    ctx.untagged([atom('SORT'), ...sorted.map((item) => (ctx.verb === 'UID SORT' ? item.meta.uid : item.seq))]);
    return ok(`${ctx.verb} completed`);
  },
});

interface Keyed {
  message: SearchCandidate;
  values: (string | number)[];
}

function compare(a: Keyed, b: Keyed, criteria: readonly SortCriterion[]): number {
  for (const [i, { reverse }] of criteria.entries()) {
    const left = a.values[i];
    const right = b.values[i];
    // Strings were made i;ascii-casemap keys in sortValue, so they compare by code unit (RFC 5256 §2.2), never
    // by the locale of the process.
    const order = typeof left === 'number' && typeof right === 'number' ? left - right : left < right ? -1 : left > right ? 1 : 0;
    if (order !== 0) return reverse ? -order : order;
  }
  return a.message.seq - b.message.seq;
}

function sortValue(message: SearchCandidate, key: SortKey): string | number {
  const value = rawSortValue(message, key);
  return typeof value === 'number' ? value : asciiCasemap(value);
}

/** RFC 4790 §9.2 i;ascii-casemap: a–z compare as A–Z, so "apple" sorts before "_under" whatever case each has. */
function asciiCasemap(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

function rawSortValue(message: SearchCandidate, key: SortKey): string | number {
  const envelope = message.detail?.structure.envelope;
  switch (key) {
    case 'ARRIVAL':
      return message.meta.internalDate;
    case 'DATE':
      return message.meta.sentDate;
    case 'SIZE':
      return message.meta.size;
    case 'SUBJECT':
      return baseSubject(envelope?.subject ?? null);
    case 'FROM':
      return mailboxOf(envelope?.from ?? null);
    case 'TO':
      return mailboxOf(envelope?.to ?? null);
    case 'CC':
      return mailboxOf(envelope?.cc ?? null);
    // RFC 5957: the display name when there is one, else the address.
    case 'DISPLAYFROM':
      return displayOf(envelope?.from ?? null);
    case 'DISPLAYTO':
      return displayOf(envelope?.to ?? null);
  }
}

function mailboxOf(list: EnvelopeAddress[] | null): string {
  return (list?.[0]?.mailbox ?? '').toLowerCase();
}

function displayOf(list: EnvelopeAddress[] | null): string {
  const first = list?.[0];
  if (!first) return '';
  return (first.name ? decodeWords(first.name) : `${first.mailbox ?? ''}@${first.host ?? ''}`).toLowerCase();
}
