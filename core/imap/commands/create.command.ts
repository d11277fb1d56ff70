// A1 CREATE "Projects/2024"
import { defineCommand, ok } from '../imap-command.js';
import { isRefusal, isResult, mailboxArg, mailboxPath, refused } from './command-helpers.js';

export const createCommand = defineCommand({
  verbs: ['CREATE'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const name = mailboxArg(args);
    // RFC 6154 §3 CREATE-SPECIAL-USE parameters are not offered; any list is ignored.
    args.optionalList();
    args.end();
    return name;
  },
  async run(ctx, name) {
    const path = mailboxPath(ctx, name, 'CANNOT');
    if (isResult(path)) return path;
    const created = await ctx.backend.createMailbox(ctx.session.user().id, path);
    return isRefusal(created) ? refused(created) : ok('CREATE completed');
  },
});
