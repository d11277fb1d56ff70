// A1 SEARCH UNSEEN FROM "bob"   /   A1 UID SEARCH RETURN (MIN MAX COUNT) OR SEEN FLAGGED SINCE 1-Jan-2024
import { defineCommand, ok } from '../imap-command.js';
import { BadArguments } from '../protocol/command-args.js';
import { atom, type OutValue } from '../protocol/imap-writer.js';
import { parseSearch, type SearchKey, type SearchQuery } from '../protocol/search-query.js';
import { formatSequenceSet } from '../protocol/sequence-set.js';
import { findMessages } from '../search/search-runner.js';
import { enableCondstore } from './command-helpers.js';

/** RFC 9051 §6.4.4: UTF-8 and US-ASCII are the charsets a server must support; no others are offered. */
export function decodeSearchString(bytes: Buffer, charset: string | null): string | null {
  if (charset !== null && !/^(utf-8|us-ascii)$/i.test(charset)) return null;
  return bytes.toString('utf8');
}

export const searchCommand = defineCommand({
  verbs: ['SEARCH', 'UID SEARCH'],
  states: ['selected'],
  allowsExpunge: false,
  parse(args): SearchQuery | { badCharset: string } {
    const values = [];
    while (args.remaining > 0) values.push(args.any());
    const query = parseSearch(values, decodeSearchString);
    if (typeof query !== 'string') return query;
    if (query.startsWith('[BADCHARSET')) return { badCharset: query };
    throw new BadArguments(query);
  },
  async run(ctx, query) {
    if ('badCharset' in query) return { status: 'NO', code: 'BADCHARSET (UTF-8 US-ASCII)', text: 'Unsupported charset' };
    const session = ctx.session;
    const selected = session.mailbox();
    const byUid = ctx.verb === 'UID SEARCH';
    const usesModseq = hasModseq(query.key);
    if (usesModseq) enableCondstore(ctx);
    const found = (await findMessages(ctx, query.key)).map((item) => ({ seq: item.seq, uid: item.meta.uid, modseq: item.meta.modseq }));
    const numbers = found.map((item) => (byUid ? item.uid : item.seq));
    const highest = found.reduce((max, item) => Math.max(max, item.modseq), 0);
    // RFC 9051 §7.3.4: an IMAP4rev2 client always gets ESEARCH.
    const options = query.returnOptions ?? (session.rev2 ? ['ALL' as const] : null);
    if (options?.includes('SAVE')) session.savedSearch = found.map((item) => item.uid);
    if (!options) {
      // Numbers only: written as text, one string however many matches.
      ctx.untaggedText(
        `SEARCH${numbers.length > 0 ? ' ' : ''}${numbers.join(' ')}${usesModseq && numbers.length > 0 ? ` (MODSEQ ${highest})` : ''}`,
      );
      return ok(`${ctx.verb} completed`);
    }
    // RFC 5182 §2.1: SAVE alone produces no ESEARCH response.
    const shown = options.filter((option) => option !== 'SAVE');
    if (shown.length === 0) return ok(`${ctx.verb} completed`);
    const line: OutValue[] = [atom('ESEARCH'), atom(`(TAG "${ctx.tag.replace(/[\\"]/g, '')}")`)];
    if (byUid) line.push(atom('UID'));
    if (numbers.length > 0) {
      // Not Math.min(...numbers): spreading 200,000 matches overflows the stack.
      if (shown.includes('MIN'))
        line.push(
          atom('MIN'),
          numbers.reduce((min, n) => Math.min(min, n)),
        );
      if (shown.includes('MAX'))
        line.push(
          atom('MAX'),
          numbers.reduce((max, n) => Math.max(max, n)),
        );
      if (shown.includes('ALL')) line.push(atom('ALL'), atom(formatSequenceSet(numbers)));
    }
    if (shown.includes('COUNT')) line.push(atom('COUNT'), numbers.length);
    if (usesModseq && numbers.length > 0) line.push(atom('MODSEQ'), highest);
    ctx.untagged(line);
    return ok(`${ctx.verb} completed`);
  },
});

function hasModseq(key: SearchKey): boolean {
  switch (key.kind) {
    case 'modseq':
      return true;
    case 'not':
      return hasModseq(key.key);
    case 'or':
      return hasModseq(key.left) || hasModseq(key.right);
    case 'and':
      return key.keys.some(hasModseq);
    default:
      return false;
  }
}
