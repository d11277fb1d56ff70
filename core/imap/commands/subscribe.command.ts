// A1 SUBSCRIBE "Lists/dev"   /   A1 UNSUBSCRIBE "Lists/dev"
import { defineCommand, ok } from '../imap-command.js';
import { isRefusal, isResult, mailboxArg, mailboxPath, refused } from './command-helpers.js';

export const subscribeCommand = defineCommand({
  verbs: ['SUBSCRIBE', 'UNSUBSCRIBE'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const name = mailboxArg(args);
    args.end();
    return name;
  },
  async run(ctx, name) {
    const path = mailboxPath(ctx, name);
    if (isResult(path)) return path;
    const done = await ctx.backend.setSubscribed(ctx.session.user().id, path, ctx.verb === 'SUBSCRIBE');
    return isRefusal(done) ? refused(done) : ok(`${ctx.verb} completed`);
  },
});
