import type { CommandContext } from '../imap-command.js';
import type { MessageDetail } from '../imap-backend.js';
import type { SearchKey } from '../protocol/search-query.js';
import { matches, maxNeed, needsSearchText, searchNeed, type SearchCandidate, type SearchNeed } from './search-evaluator.js';

const DETAIL_BATCH = 500;

/**
 * The messages of the selected mailbox (in the session's view) that match `key`, in sequence order. `need`
 * raises what is loaded for the caller (SORT and THREAD need the cached structure).
 */
export async function findMessages(ctx: CommandContext, key: SearchKey, need: SearchNeed = 'meta'): Promise<SearchCandidate[]> {
  const session = ctx.session;
  const selected = session.mailbox();
  const uids = selected.allUids;
  if (uids.length === 0) return [];
  const metas = await ctx.backend.listMessages(selected.mailboxId, uids);
  const required = maxNeed(searchNeed(key), need);
  const details = new Map<number, MessageDetail>();
  const searchText = needsSearchText(key);
  if (required !== 'meta') {
    for (let i = 0; i < metas.length; i += DETAIL_BATCH) {
      const batch = metas.slice(i, i + DETAIL_BATCH).map((meta) => meta.uid);
      for (const detail of await ctx.backend.getMessages(selected.mailboxId, batch, { searchText })) details.set(detail.uid, detail);
    }
  }
  const scope = { uids, savedSearch: session.savedSearch, recent: selected.recentUids, now: Date.now() };
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
