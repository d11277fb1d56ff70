// A1 FETCH 1:* (FLAGS UID RFC822.SIZE)   /   A1 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)
import { defineCommand, no, ok, type CommandContext, type CommandResult } from '../imap-command.js';
import type { MessageDetail, MessageMeta } from '../imap-backend.js';
import { BadArguments } from '../protocol/command-args.js';
import { parseFetchAttributes, type FetchItem } from '../protocol/fetch-attributes.js';
import { atom, Literal, type OutValue } from '../protocol/imap-writer.js';
import { formatSequenceSet, resolveSequenceSet, type SequenceSet } from '../protocol/sequence-set.js';
import {
  isTextOnly,
  itemValues,
  needsDetail,
  needsRaw,
  setsSeen,
  UnknownTransferEncoding,
  type FetchSource,
} from '../fetch/fetch-item-values.js';
import { listingColumnsFor, textItemsAt } from '../fetch/fetch-text-lines.js';
import { sequenceIndexes } from '../session/sequence-positions.js';
import { enableCondstore, isRefusal, targetUids } from './command-helpers.js';

/** Messages loaded per batch: bounds memory while keeping the number of queries low. */
const BATCH = 250;
/** Bytes of message data gathered into one socket write; large messages go out one by one. */
const WRITE_BYTES = 1024 * 1024;
/**
 * Message octets read into memory at once: 250 messages of 50 MB would be 12 GB. A larger message is read alone.
 */
const RAW_BATCH_BYTES = 32 * 1024 * 1024;

interface FetchArgs {
  set: SequenceSet;
  items: FetchItem[];
  changedSince: number | null;
  vanished: boolean;
}

export const fetchCommand = defineCommand({
  verbs: ['FETCH', 'UID FETCH'],
  states: ['selected'],
  allowsExpunge: false,
  parse(args, verb): FetchArgs {
    const set = args.sequenceSet();
    const parsed = parseFetchAttributes(args.any('fetch attributes'));
    if (typeof parsed === 'string') throw new BadArguments(parsed);
    let changedSince: number | null = null;
    let vanished = false;
    const modifiers = args.optionalList() ?? [];
    for (let i = 0; i < modifiers.length; i++) {
      const modifier = modifiers[i];
      const name = modifier.kind === 'atom' ? modifier.value.toUpperCase() : '';
      if (name === 'CHANGEDSINCE') {
        const value = modifiers[++i];
        if (value?.kind !== 'atom' || !/^\d{1,19}$/.test(value.value)) throw new BadArguments('CHANGEDSINCE needs a number');
        changedSince = Number(value.value);
      } else if (name === 'VANISHED' && verb === 'UID FETCH') vanished = true;
      else throw new BadArguments(`Unknown FETCH modifier ${name.slice(0, 20)}`);
    }
    // RFC 7162 §3.2.6: VANISHED only together with CHANGEDSINCE.
    if (vanished && changedSince === null) throw new BadArguments('VANISHED needs CHANGEDSINCE');
    args.end();
    return { set, items: parsed, changedSince, vanished };
  },
  async run(ctx, { set, items, changedSince, vanished }) {
    const session = ctx.session;
    const selected = session.mailbox();
    const byUid = ctx.verb === 'UID FETCH';
    if (vanished && !session.qresync) return no('Enable QRESYNC first', 'CANNOT');
    let wanted = items;
    if (byUid && !wanted.some((item) => item.kind === 'simple' && item.name === 'UID'))
      wanted = [{ kind: 'simple', name: 'UID' }, ...wanted];
    if (wanted.some((item) => item.kind === 'simple' && item.name === 'MODSEQ')) enableCondstore(ctx);
    if (changedSince !== null) {
      enableCondstore(ctx);
      if (!wanted.some((item) => item.kind === 'simple' && item.name === 'MODSEQ'))
        wanted = [...wanted, { kind: 'simple', name: 'MODSEQ' }];
    }
    const uids = targetUids(ctx, set, byUid);
    if (vanished && changedSince !== null && set.kind === 'ranges') {
      const { vanished: gone } = await ctx.backend.changesSince(selected.mailboxId, changedSince);
      const named = resolveSequenceSet(set.ranges, gone);
      if (named.length > 0) ctx.untagged([atom('VANISHED'), atom('(EARLIER)'), atom(formatSequenceSet(named))]);
    }
    const seenFlagged = !selected.readOnly && wanted.some(setsSeen);
    const detail = needsDetail(wanted);
    const raw = needsRaw(wanted);
    // Keywords are atoms, so flag lists are ASCII text too (they were accepted as atoms by STORE/APPEND).
    const textOnly = isTextOnly(wanted) && !seenFlagged;
    const showsFlags = wanted.some((item) => item.kind === 'simple' && item.name === 'FLAGS');
    if (textOnly) return textFetch(ctx, wanted, uids, changedSince, showsFlags);
    // Structures and bodies are read in batches.
    const batchSize = detail || raw ? BATCH : Math.max(uids.length, 1);
    for (let i = 0; i < uids.length; i += batchSize) {
      const batch = uids.slice(i, i + batchSize);
      let metas: (MessageMeta | MessageDetail)[] = detail
        ? await ctx.backend.getMessages(selected.mailboxId, batch, { searchText: false })
        : await ctx.backend.listMessages(selected.mailboxId, batch);
      if (changedSince !== null) metas = metas.filter((meta) => meta.modseq > changedSince);
      const newlySeen = seenFlagged ? await markSeen(ctx, metas) : new Set<number>();
      if (selected.recentCount > 0) for (const meta of metas) meta.flags = selected.withRecent(meta.uid, meta.flags);
      if (showsFlags || newlySeen.size > 0) {
        ctx.announceKeywords(metas.flatMap((meta) => meta.flags));
        for (const meta of metas) if (selected.seqOf(meta.uid) !== 0) selected.noteShown(meta.uid, meta.modseq);
      }
      // Responses go out a batch (or WRITE_BYTES) at a time: per-message writes cost more than the copy.
      let lines: OutValue[][] = [];
      let bytes = 0;
      for (const group of raw ? byRawSize(metas) : [metas]) {
        const raws = raw ? await ctx.backend.readRawMany(group.map((meta) => meta.blobId)) : null;
        for (const [index, meta] of group.entries()) {
          const seq = selected.seqOf(meta.uid);
          if (seq === 0) continue;
          const source: FetchSource = { meta, detail: detail ? (meta as MessageDetail) : null, raw: raws ? raws[index] : null };
          const values: OutValue[] = [];
          try {
            for (const item of wanted) values.push(...itemValues(item, source));
          } catch (error) {
            if (error instanceof UnknownTransferEncoding) {
              ctx.untaggedBatch(lines);
              return no(`Cannot decode transfer encoding ${error.message.slice(0, 30)}`, 'UNKNOWN-CTE');
            }
            throw error;
          }
          if (newlySeen.has(meta.uid) && !wanted.some((item) => item.kind === 'simple' && item.name === 'FLAGS')) {
            values.push(atom('FLAGS'), meta.flags.map(atom));
          }
          const size = literalBytes(values);
          if (size >= WRITE_BYTES) {
            // Written part by part, never joined: `BODY[] BODY[] ...` of one large message would otherwise be copied
            // into one buffer as many times as it is named.
            ctx.untaggedBatch(lines);
            lines = [];
            bytes = 0;
            ctx.untagged([seq, atom('FETCH'), values]);
            await ctx.drain();
            continue;
          }
          lines.push([seq, atom('FETCH'), values]);
          bytes += size;
          if (bytes >= WRITE_BYTES) {
            ctx.untaggedBatch(lines);
            lines = [];
            bytes = 0;
            await ctx.drain();
          }
        }
      }
      ctx.untaggedBatch(lines);
      await ctx.drain();
    }
    return ok(`${ctx.verb} completed`);
  },
});

/** Consecutive messages whose octets together stay within RAW_BATCH_BYTES (a larger message alone). */
function byRawSize<T extends MessageMeta>(metas: readonly T[]): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  for (const meta of metas) {
    if (group.length > 0 && bytes + meta.size > RAW_BATCH_BYTES) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(meta);
    bytes += meta.size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Octets of the literals among response values (message data); the rest is small. */
function literalBytes(values: readonly OutValue[]): number {
  let total = 0;
  for (const value of values) {
    if (value instanceof Literal) total += value.bytes.length;
    else if (Buffer.isBuffer(value)) total += value.length;
    else if (Array.isArray(value)) total += literalBytes(value);
  }
  return total;
}

/** Lines per socket write of a text-only FETCH. */
const TEXT_LINES_PER_WRITE = 1000;

/**
 * Text-only items (flags, UIDs, sizes, dates) of any number of messages: one column listing, lines built as text
 * and written a thousand at a time: what clients synchronising a large mailbox send.
 */
async function textFetch(
  ctx: CommandContext,
  wanted: readonly FetchItem[],
  uids: readonly number[],
  changedSince: number | null,
  showsFlags: boolean,
): Promise<CommandResult> {
  const selected = ctx.session.mailbox();
  const columns = listingColumnsFor(wanted, changedSince !== null);
  // The MODSEQ of the flags shown: a change older than them, still on its way, is then not reported after them.
  if (showsFlags && !columns.includes('modseq')) columns.push('modseq');
  const listing = await ctx.backend.listColumns(selected.mailboxId, columns, uids);
  if (showsFlags) ctx.announceKeywords([...listing.keywords.values()].flat());
  const recent = selected.recentCount > 0 ? selected.recentUids : undefined;
  const seqIndexes = sequenceIndexes(listing.uids, selected.allUids);
  let block = '';
  let lines = 0;
  for (let i = 0; i < listing.uids.length; i++) {
    const seqIndex = seqIndexes[i];
    if (seqIndex < 0) continue;
    if (changedSince !== null && listing.modseq![i] <= changedSince) continue;
    if (showsFlags) selected.noteShown(listing.uids[i], listing.modseq![i]);
    block += `* ${seqIndex + 1} FETCH ${textItemsAt(wanted, listing, i, recent)}\r\n`;
    if (++lines === TEXT_LINES_PER_WRITE) {
      ctx.untaggedBlock(block);
      block = '';
      lines = 0;
      await ctx.drain();
    }
  }
  ctx.untaggedBlock(block);
  return ok(`${ctx.verb} completed`);
}

/** Sets \Seen on fetched messages that lack it and updates their metadata in place. */
async function markSeen(ctx: CommandContext, metas: MessageMeta[]): Promise<Set<number>> {
  const unseen = metas.filter((meta) => !meta.flags.includes('\\Seen'));
  if (unseen.length === 0) return new Set();
  const selected = ctx.session.mailbox();
  const result = await ctx.backend.setFlags(
    ctx.session.user().id,
    selected.mailboxId,
    unseen.map((meta) => meta.uid),
    'add',
    ['\\Seen'],
  );
  if (isRefusal(result)) return new Set();
  const byUid = new Map(result.changed.map((change) => [change.uid, change]));
  for (const meta of unseen) {
    const change = byUid.get(meta.uid);
    if (!change) continue;
    meta.flags = change.flags;
    meta.modseq = change.modseq;
    selected.noteOwnModseq(change.modseq);
  }
  return new Set(byUid.keys());
}
