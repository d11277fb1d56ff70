// A1 APPEND "Sent" (\Seen) "17-Jul-1996 02:44:25 -0700" {310}   (MULTIAPPEND: more "flags date literal" groups follow)
import { defineCommand, no, ok } from '../imap-command.js';
import { BadArguments, flagArgs, parseDateTime } from '../protocol/command-args.js';
import { IMAP_LIMITS } from '../protocol/imap-limits.js';
import { formatSequenceSet } from '../protocol/sequence-set.js';
import { isRefusal, isResult, mailboxPath, refused } from './command-helpers.js';

interface AppendItem {
  flags: string[];
  internalDate: number | null;
  message: Buffer;
}

export const appendCommand = defineCommand({
  verbs: ['APPEND'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const name = args.bytes('mailbox name');
    const items: AppendItem[] = [];
    while (args.remaining > 0) {
      let flags: string[] = [];
      let internalDate: number | null = null;
      const first = args.peek();
      if (first?.kind === 'list') flags = flagArgs(args.any());
      const next = args.peek();
      if (next?.kind === 'string' && !next.literal) {
        internalDate = parseDateTime(args.string());
        if (internalDate === null) throw new BadArguments('Invalid date-time');
      }
      let message = args.any('message literal');
      // RFC 6855 §4: `UTF8 (~{n}...)` wraps a message with UTF-8 headers.
      if (message.kind === 'atom' && message.value.toUpperCase() === 'UTF8') {
        const wrapped = args.list('UTF8 message');
        if (wrapped.length !== 1) throw new BadArguments('UTF8 takes one literal');
        message = wrapped[0];
      }
      if (message.kind !== 'string' || !message.literal) throw new BadArguments('The message must be a literal');
      items.push({ flags, internalDate, message: message.value });
      if (items.length > IMAP_LIMITS.maxAppendMessages) throw new BadArguments('Too many messages in one APPEND');
    }
    if (items.length === 0) throw new BadArguments('Missing message literal');
    return { name, items };
  },
  async run(ctx, { name, items }) {
    const path = mailboxPath(ctx, name);
    if (isResult(path)) return path;
    const account = ctx.session.user();
    const mailbox = await ctx.backend.findMailbox(account.id, path);
    // RFC 3501 §6.3.11: TRYCREATE when the mailbox could be created.
    if (!mailbox) return no('No such mailbox', 'TRYCREATE');
    for (const item of items) {
      if (item.message.length === 0) return no('Empty message', 'CANNOT');
      if (item.message.length > ctx.backend.appendLimit) return no(`Message larger than APPENDLIMIT ${ctx.backend.appendLimit}`, 'TOOBIG');
    }
    const uids: number[] = [];
    let uidValidity = mailbox.uidValidity;
    // Each message is stored (durably) before the OK; a later failure leaves earlier ones in place.
    for (const item of items) {
      const stored = await ctx.backend.append(account.id, mailbox.id, item.message, item.flags, item.internalDate);
      if (isRefusal(stored)) return refused(stored);
      uids.push(stored.uid);
      uidValidity = stored.uidValidity;
    }
    if (ctx.session.selected?.mailboxId === mailbox.id) {
      ctx.session.selected.addNow(uids);
      // RFC 3501 §7.2.6: a keyword the APPEND brought into the selected mailbox is named in FLAGS before the OK.
      ctx.announceKeywords(items.flatMap((item) => item.flags));
    }
    return ok('APPEND completed', `APPENDUID ${uidValidity} ${formatSequenceSet(uids)}`);
  },
});
