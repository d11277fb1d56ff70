// A042 STATUS "INBOX" (UIDNEXT MESSAGES)
import { defineCommand, no, ok } from '../imap-command.js';
import { isResult, mailboxArg, mailboxPath } from './command-helpers.js';
import { parseStatusItems, statusResponse } from './status-items.js';

export const statusCommand = defineCommand({
  verbs: ['STATUS'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const name = mailboxArg(args);
    const items = parseStatusItems(args.list('status items'));
    args.end();
    return { name, items };
  },
  async run(ctx, { name, items }) {
    const path = mailboxPath(ctx, name);
    if (isResult(path)) return path;
    const mailbox = await ctx.backend.findMailbox(ctx.session.user().id, path);
    if (!mailbox) return no('No such mailbox', 'NONEXISTENT');
    ctx.untagged(await statusResponse(ctx, mailbox, items));
    return ok('STATUS completed');
  },
});
