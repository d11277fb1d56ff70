import type { CommandContext } from '../imap-command.js';
import type { ListingColumn, MessageDetail, MessageMeta } from '../imap-backend.js';
import { flagText } from '../fetch/fetch-text-lines.js';
import { sequenceIndexes } from '../session/sequence-positions.js';
import type { SearchKey } from '../protocol/search-query.js';
import { matches, maxNeed, needsSearchText, searchNeed, type SearchCandidate, type SearchNeed } from './search-evaluator.js';

const DETAIL_BATCH = 500;

/**
 * The messages of the selected mailbox (in the session's view) that match `key`, in sequence order. `need`
 * raises what is loaded for the caller (SORT and THREAD need the cached structure). With `meta`, the candidates'
 * metadata holds the UID, flags, MODSEQ and only the other columns the key reads (no blob id).
 */
export async function findMessages(ctx: CommandContext, key: SearchKey, need: SearchNeed = 'meta'): Promise<SearchCandidate[]> {
  const session = ctx.session;
  const selected = session.mailbox();
  const uids = selected.allUids;
  if (uids.length === 0) return [];
  const required = maxNeed(searchNeed(key), need);
  if (required === 'meta') return findByListing(ctx, key);
  const metas = await ctx.backend.listMessages(selected.mailboxId, uids);
  const details = new Map<number, MessageDetail>();
  const searchText = needsSearchText(key);
  for (let i = 0; i < metas.length; i += DETAIL_BATCH) {
    const batch = metas.slice(i, i + DETAIL_BATCH).map((meta) => meta.uid);
    for (const detail of await ctx.backend.getMessages(selected.mailboxId, batch, { searchText })) details.set(detail.uid, detail);
  }
  const scope = { uids, savedSearch: new Set(session.savedSearch), recent: selected.recentUids, now: Date.now() };
  const found: SearchCandidate[] = [];
  for (const meta of metas) {
    const seq = selected.seqOf(meta.uid);
    if (seq === 0) continue;
    const detail = details.get(meta.uid) ?? null;
    const candidate: SearchCandidate = { seq, meta, detail, raw: required === 'raw' ? await ctx.backend.readRaw(meta.blobId) : null };
    if (matches(key, candidate, scope)) found.push(candidate);
  }
  return found;
}

/**
 * Keys on flags, numbers and dates only: evaluated over a column listing with the columns the key reads, so
 * `UID SEARCH UNSEEN` on 100,000 messages reads two columns of numbers. One message object is reused for the
 * evaluation and copied only for matches.
 */
async function findByListing(ctx: CommandContext, key: SearchKey): Promise<SearchCandidate[]> {
  const selected = ctx.session.mailbox();
  const uids = selected.allUids;
  const columns = listingColumns(key);
  const listing = await ctx.backend.listColumns(selected.mailboxId, [...columns], uids);
  const scope = { uids, savedSearch: new Set(ctx.session.savedSearch), recent: selected.recentUids, now: Date.now() };
  const meta: MessageMeta = { uid: 0, modseq: 0, flags: [], internalDate: 0, sentDate: 0, size: 0, blobId: '' };
  const candidate: SearchCandidate = { seq: 0, meta, detail: null, raw: null };
  // Parsed flag lists by their text, and for keys on flags alone the verdict too: most mailboxes have a handful
  // of distinct flag combinations.
  const flagLists = new Map<string, string[]>();
  const verdicts = flagsOnly(key) ? new Map<string, boolean>() : null;
  const found: SearchCandidate[] = [];
  const seqIndexes = sequenceIndexes(listing.uids, uids);
  for (let i = 0; i < listing.uids.length; i++) {
    const seqIndex = seqIndexes[i];
    if (seqIndex < 0) continue;
    const uid = listing.uids[i];
    const text = flagText(listing.flagBits[i], listing.keywords.get(uid));
    let flags = flagLists.get(text);
    if (!flags) {
      flags = text === '' ? [] : text.split(' ');
      flagLists.set(text, flags);
    }
    candidate.seq = seqIndex + 1;
    meta.uid = uid;
    meta.flags = flags;
    meta.modseq = listing.modseq?.[i] ?? 0;
    meta.internalDate = listing.internalDate?.[i] ?? 0;
    meta.sentDate = listing.sentDate?.[i] ?? 0;
    meta.size = listing.size?.[i] ?? 0;
    let verdict = verdicts?.get(text);
    if (verdict === undefined) {
      verdict = matches(key, candidate, scope);
      verdicts?.set(text, verdict);
    }
    if (verdict) found.push({ seq: candidate.seq, meta: { ...meta, flags: [...flags] }, detail: null, raw: null });
  }
  return found;
}

/** Whether a key reads nothing but flags and keywords (its verdict depends on the flag list alone). */
function flagsOnly(key: SearchKey): boolean {
  switch (key.kind) {
    case 'all':
    case 'none':
    case 'flag':
    case 'keyword':
      return true;
    case 'not':
      return flagsOnly(key.key);
    case 'or':
      return flagsOnly(key.left) && flagsOnly(key.right);
    case 'and':
      return key.keys.every(flagsOnly);
    default:
      return false;
  }
}

/** Listing columns a metadata-only key reads. MODSEQ always: SEARCH reports the highest MODSEQ of the matches. */
function listingColumns(key: SearchKey, into = new Set<ListingColumn>(['modseq'])): Set<ListingColumn> {
  switch (key.kind) {
    case 'date':
      into.add(key.which === 'internal' ? 'internalDate' : 'sentDate');
      break;
    case 'size':
      into.add('size');
      break;
    case 'older':
    case 'younger':
      into.add('internalDate');
      break;
    case 'not':
      listingColumns(key.key, into);
      break;
    case 'or':
      listingColumns(key.left, into);
      listingColumns(key.right, into);
      break;
    case 'and':
      for (const inner of key.keys) listingColumns(inner, into);
      break;
    default:
      break;
  }
  return into;
}
