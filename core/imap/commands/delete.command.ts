// A1 DELETE "Projects/2024"
import { defineCommand, ok } from '../imap-command.js';
import { isRefusal, isResult, mailboxArg, mailboxPath, refused } from './command-helpers.js';

export const deleteCommand = defineCommand({
  verbs: ['DELETE'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const name = mailboxArg(args);
    args.end();
    return name;
  },
  async run(ctx, name) {
    const path = mailboxPath(ctx, name);
    if (isResult(path)) return path;
    const deleted = await ctx.backend.deleteMailbox(ctx.session.user().id, path);
    if (isRefusal(deleted)) return refused(deleted);
    // Deleting the selected mailbox leaves nothing to show (RFC 9051 §6.3.4 lets us deselect it).
    if (ctx.session.selected?.path === path) {
      ctx.session.selected = null;
      ctx.session.state = 'authenticated';
    }
    return ok('DELETE completed');
  },
});
