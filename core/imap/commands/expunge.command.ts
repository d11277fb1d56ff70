// A1 EXPUNGE   /   A1 UID EXPUNGE 3:5
import { defineCommand, no, ok } from '../imap-command.js';
import type { SequenceSet } from '../protocol/sequence-set.js';
import { isRefusal, refused, targetUids } from './command-helpers.js';

export const expungeCommand = defineCommand({
  verbs: ['EXPUNGE', 'UID EXPUNGE'],
  states: ['selected'],
  parse(args, verb) {
    const set: SequenceSet | null = verb === 'UID EXPUNGE' ? args.sequenceSet() : null;
    args.end();
    return set;
  },
  async run(ctx, set) {
    const selected = ctx.session.mailbox();
    if (selected.readOnly) return no('Mailbox is read-only', 'READ-ONLY');
    const uids = set ? targetUids(ctx, set, true) : undefined;
    if (uids && uids.length === 0) return ok(`${ctx.verb} completed`);
    const removed = await ctx.backend.expunge(ctx.session.user().id, selected.mailboxId, uids);
    if (isRefusal(removed)) return refused(removed);
    // The dispatcher reports these (and others' expunges) as EXPUNGE or VANISHED before the tagged OK.
    selected.expungeNow(removed);
    return ok(`${ctx.verb} completed`);
  },
});
