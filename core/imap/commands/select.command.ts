// A1 SELECT "INBOX"   /   A1 EXAMINE "INBOX" (CONDSTORE)   /   A1 SELECT "INBOX" (QRESYNC (67890007 20050715194045000 41,43:211))
import { defineCommand, no, ok } from '../imap-command.js';
import { BadArguments } from '../protocol/command-args.js';
import { atom } from '../protocol/imap-writer.js';
import { formatSequenceSet, parseSequenceSet, resolveSequenceSet, type SequenceRange } from '../protocol/sequence-set.js';
import { SelectedMailbox, type RecentMode } from '../session/selected-mailbox.js';
import { isResult, mailboxArg, mailboxPath } from './command-helpers.js';

interface QresyncParams {
  uidValidity: number;
  modseq: number;
  knownUids: SequenceRange[] | null;
}

export const FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

export const selectCommand = defineCommand({
  verbs: ['SELECT', 'EXAMINE'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const name = mailboxArg(args);
    let condstore = false;
    let qresync: QresyncParams | null = null;
    const params = args.optionalList() ?? [];
    for (let i = 0; i < params.length; i++) {
      const param = params[i];
      const key = param.kind === 'atom' ? param.value.toUpperCase() : '';
      if (key === 'CONDSTORE') condstore = true;
      else if (key === 'QRESYNC') {
        const value = params[++i];
        if (value?.kind !== 'list' || value.items.length < 2) throw new BadArguments('QRESYNC needs (uidvalidity modseq [known-uids])');
        const [validity, modseq, known] = value.items.map((item) => (item.kind === 'atom' ? item.value : ''));
        if (!/^\d+$/.test(validity) || !/^\d+$/.test(modseq)) throw new BadArguments('Invalid QRESYNC parameters');
        const set = known ? parseSequenceSet(known) : null;
        if (known && set?.kind !== 'ranges') throw new BadArguments('Invalid QRESYNC known UIDs');
        qresync = { uidValidity: Number(validity), modseq: Number(modseq), knownUids: set?.kind === 'ranges' ? set.ranges : null };
      } else throw new BadArguments(`Unknown SELECT parameter ${key.slice(0, 20)}`);
    }
    args.end();
    return { name, condstore, qresync };
  },
  async run(ctx, { name, condstore, qresync }) {
    const session = ctx.session;
    // RFC 3501 §6.3.1: a SELECT first deselects, even if it then fails.
    const hadSelection = session.selected !== null;
    session.selected = null;
    session.state = 'authenticated';
    if (hadSelection && session.qresync) ctx.untagged([atom('OK'), atom('[CLOSED] Previous mailbox closed')]);
    if (qresync && !session.qresync) return no('Enable QRESYNC first', 'CANNOT');
    if (condstore) session.condstore = true;
    const path = mailboxPath(ctx, name);
    if (isResult(path)) return path;
    const account = session.user();
    const mailbox = await ctx.backend.findMailbox(account.id, path);
    if (!mailbox) return no('No such mailbox', 'NONEXISTENT');
    const view = await ctx.backend.selectView(mailbox);
    const uids = view.uids;
    const readOnly = ctx.verb === 'EXAMINE';
    const highestModseq = mailbox.highestModseq;
    const selected = new SelectedMailbox(mailbox.id, mailbox.path, readOnly, mailbox.uidValidity, uids, highestModseq);
    // RFC 3501 §2.3.2: the first read-write session after an arrival claims it as \Recent, on any node; EXAMINE
    // shows what is unclaimed without claiming it; IMAP4rev2 has no \Recent (RFC 9051 §2.3.2).
    const recentMode: RecentMode = session.rev2 ? 'off' : readOnly ? 'show' : 'claim';
    const top = uids[uids.length - 1] ?? 0;
    let recentFrom = recentMode === 'off' ? top : mailbox.recentUid;
    if (recentMode === 'claim' && recentFrom < top) recentFrom = await ctx.backend.claimRecent(mailbox.id, top);
    const recentUids = uidsAbove(uids, recentFrom);
    const backend = ctx.backend;
    selected.connect(
      {
        uidsAbove: (uid) => backend.uidsAbove(mailbox.id, uid),
        claimRecent: (upTo) => backend.claimRecent(mailbox.id, upTo),
      },
      recentMode,
      recentUids,
    );
    ctx.untagged([atom('FLAGS'), FLAGS.map(atom)]);
    ctx.untagged([atom('OK'), atom(`[PERMANENTFLAGS (${readOnly ? '' : FLAGS.join(' ') + ' \\*'})] Flags permitted`)]);
    ctx.untagged([uids.length, atom('EXISTS')]);
    if (!session.rev2) {
      ctx.untagged([recentUids.length, atom('RECENT')]);
      if (view.firstUnseen >= 0) ctx.untagged([atom('OK'), atom(`[UNSEEN ${view.firstUnseen + 1}] First unseen`)]);
    }
    ctx.untagged([atom('OK'), atom(`[UIDVALIDITY ${mailbox.uidValidity}] UIDs valid`)]);
    ctx.untagged([atom('OK'), atom(`[UIDNEXT ${mailbox.uidNext}] Predicted next UID`)]);
    ctx.untagged([atom('OK'), atom(`[HIGHESTMODSEQ ${highestModseq}] Highest`)]);
    if (session.rev2) ctx.untagged([atom('LIST'), [], '/', ctx.encodeMailbox(mailbox.path)]);
    session.selected = selected;
    session.state = 'selected';
    if (qresync && qresync.uidValidity === mailbox.uidValidity) {
      // RFC 7162 §3.2.5.2: what vanished and what changed since the client's MODSEQ.
      const changes = await ctx.backend.changesSince(mailbox.id, qresync.modseq);
      const known = qresync.knownUids;
      const vanished = known ? resolveSequenceSet(known, changes.vanished) : changes.vanished;
      if (vanished.length > 0) ctx.untagged([atom('VANISHED'), atom('(EARLIER)'), atom(formatSequenceSet(vanished))]);
      for (const message of changes.changed) {
        const seq = selected.seqOf(message.uid);
        if (seq === 0) continue;
        ctx.untagged([
          seq,
          atom('FETCH'),
          [
            atom('UID'),
            message.uid,
            atom('FLAGS'),
            selected.withRecent(message.uid, message.flags).map(atom),
            atom('MODSEQ'),
            [message.modseq],
          ],
        ]);
      }
    }
    return ok(`${ctx.verb} completed`, readOnly ? 'READ-ONLY' : 'READ-WRITE');
  },
});

/** The tail of an ascending UID list above `uid`. */
function uidsAbove(uids: readonly number[], uid: number): number[] {
  let index = uids.length;
  while (index > 0 && uids[index - 1] > uid) index--;
  return uids.slice(index);
}
