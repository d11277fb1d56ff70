import type { FlagColumns, ListingColumn } from '../imap-backend.js';
import { FLAG_BITS } from '../../mail/message-listing.js';
import type { FetchItem } from '../protocol/fetch-attributes.js';
import { formatInternalDate } from '../protocol/imap-writer.js';

/** System flags in the order FLAGS lists them, with their bit in a packed flag value. */
const SYSTEM_FLAGS: [string, number][] = [
  ['\\Seen', FLAG_BITS.seen],
  ['\\Answered', FLAG_BITS.answered],
  ['\\Flagged', FLAG_BITS.flagged],
  ['\\Deleted', FLAG_BITS.deleted],
  ['\\Draft', FLAG_BITS.draft],
];

/** The FLAGS text of every packed value: a table lookup per message instead of an array of flags. */
const FLAG_TEXT = Array.from({ length: 32 }, (_, bits) =>
  SYSTEM_FLAGS.filter(([, bit]) => (bits & bit) !== 0)
    .map(([flag]) => flag)
    .join(' '),
);

/** Flag list text of a listing row: system flags (with `\Recent` when the session has it so), then keywords. */
export function flagText(bits: number, keywords: readonly string[] | undefined, recent = false): string {
  const system = recent ? (bits & 31 ? `${FLAG_TEXT[bits & 31]} \\Recent` : '\\Recent') : FLAG_TEXT[bits & 31];
  if (!keywords || keywords.length === 0) return system;
  return system === '' ? keywords.join(' ') : `${system} ${keywords.join(' ')}`;
}

/** Columns a listing needs for text-only FETCH items (and for CHANGEDSINCE filtering). */
export function listingColumnsFor(items: readonly FetchItem[], changedSince: boolean): ListingColumn[] {
  const names = new Set(items.map((item) => (item.kind === 'simple' ? item.name : '')));
  const columns: ListingColumn[] = [];
  if (names.has('MODSEQ') || changedSince) columns.push('modseq');
  if (names.has('RFC822.SIZE')) columns.push('size');
  if (names.has('INTERNALDATE')) columns.push('internalDate');
  return columns;
}

/** `(UID 4 FLAGS (\Seen))` of listing row `i` for text-only items; `recent`: the session's \Recent UIDs. */
export function textItemsAt(items: readonly FetchItem[], listing: FlagColumns, i: number, recent?: ReadonlySet<number>): string {
  let text = '';
  for (const item of items) {
    if (item.kind !== 'simple') continue;
    if (text !== '') text += ' ';
    switch (item.name) {
      case 'UID':
        text += `UID ${listing.uids[i]}`;
        break;
      case 'FLAGS':
        text += `FLAGS (${flagText(listing.flagBits[i], listing.keywords.get(listing.uids[i]), recent?.has(listing.uids[i]))})`;
        break;
      case 'MODSEQ':
        text += `MODSEQ (${listing.modseq![i]})`;
        break;
      case 'RFC822.SIZE':
        text += `RFC822.SIZE ${listing.size![i]}`;
        break;
      case 'INTERNALDATE':
        text += `INTERNALDATE "${formatInternalDate(listing.internalDate![i])}"`;
        break;
      default:
        break;
    }
  }
  return `(${text})`;
}
