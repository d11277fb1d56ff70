// A1 CLOSE   /   A1 UNSELECT
import { defineCommand, ok } from '../imap-command.js';

/** CLOSE expunges silently when the mailbox is writable (RFC 3501 §6.4.2); UNSELECT does not (RFC 3691). */
export const closeCommand = defineCommand({
  verbs: ['CLOSE', 'UNSELECT'],
  states: ['selected'],
  parse: (args) => args.end(),
  async run(ctx) {
    const selected = ctx.session.mailbox();
    if (ctx.verb === 'CLOSE' && !selected.readOnly) {
      await ctx.backend.expunge(ctx.session.user().id, selected.mailboxId);
    }
    ctx.session.selected = null;
    ctx.session.state = 'authenticated';
    return ok(`${ctx.verb} completed`);
  },
});
