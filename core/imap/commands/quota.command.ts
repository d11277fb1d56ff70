// A1 GETQUOTAROOT "INBOX"   /   A1 GETQUOTA ""
import { defineCommand, no, ok, type CommandContext } from '../imap-command.js';
import { atom } from '../protocol/imap-writer.js';
import { isResult, mailboxArg, mailboxPath } from './command-helpers.js';

/** RFC 9208: one quota root "" per account, STORAGE in KiB. */
export const quotaCommand = defineCommand({
  verbs: ['GETQUOTA', 'GETQUOTAROOT'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const name = mailboxArg(args);
    args.end();
    return name;
  },
  async run(ctx, name) {
    if (ctx.verb === 'GETQUOTA') {
      if (name.length !== 0) return no('No such quota root', 'NONEXISTENT');
      await quotaLine(ctx);
      return ok('GETQUOTA completed');
    }
    const path = mailboxPath(ctx, name);
    if (isResult(path)) return path;
    if (!(await ctx.backend.findMailbox(ctx.session.user().id, path))) return no('No such mailbox', 'NONEXISTENT');
    ctx.untagged([atom('QUOTAROOT'), ctx.encodeMailbox(path), '']);
    await quotaLine(ctx);
    return ok('GETQUOTAROOT completed');
  },
});

async function quotaLine(ctx: CommandContext): Promise<void> {
  const { usedBytes, limitBytes } = await ctx.backend.quota(ctx.session.user());
  const resources = limitBytes > 0 ? [atom('STORAGE'), Math.ceil(usedBytes / 1024), Math.floor(limitBytes / 1024)] : [];
  ctx.untagged([atom('QUOTA'), '', resources]);
}
