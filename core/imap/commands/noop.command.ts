// A1 NOOP   /   A1 CHECK
import { defineCommand, ok } from '../imap-command.js';

/** NOOP and CHECK: nothing to do but let the dispatcher report pending changes (RFC 3501 §6.1.2, §6.4.1). */
export const noopCommand = defineCommand({
  verbs: ['NOOP', 'CHECK'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  parse: (args) => args.end(),
  async run(ctx) {
    return ok(`${ctx.verb} completed`);
  },
});
