// A1 RENAME "Old" "New"
import { defineCommand, ok } from '../imap-command.js';
import { isRefusal, isResult, mailboxArg, mailboxPath, refused } from './command-helpers.js';

export const renameCommand = defineCommand({
  verbs: ['RENAME'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const from = mailboxArg(args);
    const to = mailboxArg(args);
    args.end();
    return { from, to };
  },
  async run(ctx, { from, to }) {
    const source = mailboxPath(ctx, from);
    if (isResult(source)) return source;
    const target = mailboxPath(ctx, to, 'CANNOT');
    if (isResult(target)) return target;
    const renamed = await ctx.backend.renameMailbox(ctx.session.user().id, source, target);
    return isRefusal(renamed) ? refused(renamed) : ok('RENAME completed');
  },
});
