// A1 STORE 2:4 +FLAGS.SILENT (\Deleted)   /   A1 UID STORE 7 (UNCHANGEDSINCE 320) FLAGS ($Work)
import { defineCommand, no, ok } from '../imap-command.js';
import { IMAP_LIMITS } from '../protocol/imap-limits.js';
import { BadArguments, flagArgs } from '../protocol/command-args.js';
import { atom, type OutValue } from '../protocol/imap-writer.js';
import { formatSequenceSet, type SequenceSet } from '../protocol/sequence-set.js';
import { enableCondstore, isRefusal, refused, targetUids } from './command-helpers.js';

interface StoreArgs {
  set: SequenceSet;
  unchangedSince: number | null;
  operation: 'add' | 'remove' | 'replace';
  silent: boolean;
  flags: string[];
}

export const storeCommand = defineCommand({
  verbs: ['STORE', 'UID STORE'],
  states: ['selected'],
  allowsExpunge: false,
  parse(args): StoreArgs {
    const set = args.sequenceSet();
    let unchangedSince: number | null = null;
    const modifiers = args.optionalList();
    if (modifiers) {
      const [name, value] = modifiers;
      if (
        modifiers.length !== 2 ||
        name.kind !== 'atom' ||
        name.value.toUpperCase() !== 'UNCHANGEDSINCE' ||
        value.kind !== 'atom' ||
        !/^\d{1,19}$/.test(value.value)
      ) {
        throw new BadArguments('Invalid STORE modifier');
      }
      unchangedSince = Number(value.value);
    }
    const action = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(args.atom('store action'));
    if (!action) throw new BadArguments('Expected FLAGS, +FLAGS or -FLAGS');
    const rest: string[] = [];
    while (args.remaining > 0) rest.push(...flagArgs(args.any()));
    // Several flag arguments (`FLAGS \Seen \Draft`) count together.
    if (rest.length > IMAP_LIMITS.maxFlags) throw new BadArguments(`Too many flags (limit ${IMAP_LIMITS.maxFlags})`);
    return {
      set,
      unchangedSince,
      silent: action[2] !== undefined,
      flags: rest,
      operation: action[1] === '+' ? 'add' : action[1] === '-' ? 'remove' : 'replace',
    };
  },
  async run(ctx, { set, unchangedSince, operation, silent, flags }) {
    const session = ctx.session;
    const selected = session.mailbox();
    if (selected.readOnly) return no('Mailbox is read-only', 'READ-ONLY');
    const byUid = ctx.verb === 'UID STORE';
    if (unchangedSince !== null) enableCondstore(ctx);
    const uids = targetUids(ctx, set, byUid);
    if (uids.length === 0) return ok(`${ctx.verb} completed`);
    const result = await ctx.backend.setFlags(session.user().id, selected.mailboxId, uids, operation, flags, unchangedSince ?? undefined);
    if (isRefusal(result)) return refused(result);
    for (const change of result.changed) {
      selected.noteOwnModseq(change.modseq);
      selected.noteShown(change.uid, change.modseq);
    }
    // RFC 3501 §6.4.6: without .SILENT, report the flags of every message named, as this STORE left them (a later
    // change by another session follows as its own FETCH); RFC 7162 §3.1.3: with CONDSTORE, changed messages are
    // reported with MODSEQ even when silent.
    const report = silent ? [] : [...result.changed, ...result.unchanged];
    // A keyword this STORE brought is announced first, even when the answer is silent (RFC 3501 §7.2.6).
    ctx.announceKeywords([
      ...(operation === 'remove' || result.changed.length === 0 ? [] : flags),
      ...report.flatMap((meta) => meta.flags),
    ]);
    const lines = new Map<number, OutValue[]>();
    for (const meta of report) {
      lines.set(meta.uid, [
        atom('FLAGS'),
        selected.withRecent(meta.uid, meta.flags).map(atom),
        ...(session.condstore ? [atom('MODSEQ'), [meta.modseq]] : []),
      ]);
      selected.noteShown(meta.uid, meta.modseq);
    }
    if (silent && session.condstore) for (const change of result.changed) lines.set(change.uid, [atom('MODSEQ'), [change.modseq]]);
    for (const uid of [...lines.keys()].sort((a, b) => a - b)) {
      const seq = selected.seqOf(uid);
      if (seq === 0) continue;
      ctx.untagged([seq, atom('FETCH'), [...(byUid ? [atom('UID'), uid] : []), ...lines.get(uid)!]]);
    }
    if (result.modified.length > 0) {
      const named = byUid ? result.modified : result.modified.map((uid) => selected.seqOf(uid)).filter((seq) => seq > 0);
      return ok('Some messages were modified since', `MODIFIED ${formatSequenceSet(named)}`);
    }
    return ok(`${ctx.verb} completed`);
  },
});
