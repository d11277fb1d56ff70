// A1 COPY 2:4 "Archive"   /   A1 UID MOVE 7:9 "Trash"
import { defineCommand, no, ok } from '../imap-command.js';
import { atom } from '../protocol/imap-writer.js';
import { formatSequenceSet, type SequenceSet } from '../protocol/sequence-set.js';
import { isRefusal, isResult, mailboxArg, mailboxPath, refused, targetUids } from './command-helpers.js';

export const copyCommand = defineCommand({
  verbs: ['COPY', 'UID COPY', 'MOVE', 'UID MOVE'],
  states: ['selected'],
  parse(args) {
    const set: SequenceSet = args.sequenceSet();
    const name = mailboxArg(args);
    args.end();
    return { set, name };
  },
  async run(ctx, { set, name }) {
    const session = ctx.session;
    const selected = session.mailbox();
    const move = ctx.verb.endsWith('MOVE');
    if (move && selected.readOnly) return no('Mailbox is read-only', 'READ-ONLY');
    const path = mailboxPath(ctx, name);
    if (isResult(path)) return path;
    const account = session.user();
    const destination = await ctx.backend.findMailbox(account.id, path);
    // RFC 3501 §6.4.7: TRYCREATE tells the client the target can be created.
    if (!destination) return no('No such mailbox', 'TRYCREATE');
    const uids = targetUids(ctx, set, ctx.verb.startsWith('UID'));
    if (uids.length === 0) return ok(`${ctx.verb} completed`);
    const result = move
      ? await ctx.backend.move(account.id, selected.mailboxId, uids, destination.id)
      : await ctx.backend.copy(account.id, selected.mailboxId, uids, destination.id);
    if (isRefusal(result)) return refused(result);
    const copyUid =
      result.pairs.length > 0
        ? `COPYUID ${result.uidValidity} ${formatSequenceSet(result.pairs.map((pair) => pair.source))} ${formatSequenceSet(result.pairs.map((pair) => pair.destination))}`
        : undefined;
    if (destination.id === selected.mailboxId) selected.addNow(result.pairs.map((pair) => pair.destination));
    if (!move) return ok(`${ctx.verb} completed`, copyUid);
    // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs, which the dispatcher writes.
    if (copyUid) ctx.untagged([atom('OK'), atom(`[${copyUid}] Moved`)]);
    selected.expungeNow(result.pairs.map((pair) => pair.source));
    return ok(`${ctx.verb} completed`);
  },
});
