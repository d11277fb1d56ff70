import { isRefusal, type Refusal } from '../imap-backend.js';
import { no, type CommandContext, type CommandResult } from '../imap-command.js';
import { BadArguments, type Args } from '../protocol/command-args.js';
import { resolveSequenceNumbers, resolveSequenceSet, type SequenceSet } from '../protocol/sequence-set.js';

export { isRefusal };

/** The one place a backend refusal becomes a tagged NO with its response code (RFC 5530). */
export function refused(refusal: Refusal): CommandResult {
  return no(refusal.text, refusal.code);
}

/** Reads a mailbox name argument; the wire form is decoded when the command runs. */
export function mailboxArg(args: Args): Buffer {
  return args.bytes('mailbox name');
}

/**
 * Store path of a wire name, or a NO for names no session may use: NONEXISTENT where a mailbox is looked up,
 * CANNOT where one is to be made (CREATE, RENAME's target: RFC 5530 §3, the name can never exist).
 */
export function mailboxPath(ctx: CommandContext, raw: Buffer, refusal: 'NONEXISTENT' | 'CANNOT' = 'NONEXISTENT'): string | CommandResult {
  const decoded = ctx.decodeMailbox(raw);
  if (typeof decoded !== 'string') return no(decoded.invalid, refusal);
  return decoded;
}

/**
 * Turns CONDSTORE on for the session (RFC 7162 §3.1: a CONDSTORE-enabling command). When that happens with a
 * mailbox selected, the client has not seen its HIGHESTMODSEQ as such yet: it goes out now, before the tagged reply.
 */
export function enableCondstore(ctx: CommandContext): void {
  if (ctx.session.condstore) return;
  ctx.session.condstore = true;
  const selected = ctx.session.selected;
  if (selected) ctx.untaggedText(`OK [HIGHESTMODSEQ ${selected.highestModseq}] Highest`);
}

export function isResult(value: unknown): value is CommandResult {
  return typeof value === 'object' && value !== null && 'status' in value;
}

/**
 * UIDs named by a sequence set in the selected mailbox: sequence numbers or UIDs (`byUid`). `$` is the saved
 * search result (RFC 5182). UIDs that do not exist are dropped (RFC 3501 §6.4.8).
 */
export function targetUids(ctx: CommandContext, set: SequenceSet, byUid: boolean): number[] {
  const selected = ctx.session.mailbox();
  const all = selected.allUids;
  if (set.kind === 'saved') {
    const present = new Set(all);
    return ctx.session.savedSearch.filter((uid) => present.has(uid));
  }
  if (byUid) return resolveSequenceSet(set.ranges, all);
  // RFC 3501 §9: a sequence number above the number of messages is an error, except through "*"; clients
  // commonly send `1:*` to an empty mailbox, which names nothing.
  if (all.length === 0 && set.ranges.every(({ from, to }) => from === null || to === null)) return [];
  for (const { from, to } of set.ranges) {
    if ((from !== null && from > all.length) || (to !== null && to > all.length)) {
      throw new BadArguments('Invalid message sequence number');
    }
  }
  return resolveSequenceNumbers(set.ranges, all.length).map((seq) => all[seq - 1]);
}
