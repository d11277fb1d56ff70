// A1 CAPABILITY
import { defineCommand, ok } from '../imap-command.js';
import { atom } from '../protocol/imap-writer.js';

export const capabilityCommand = defineCommand({
  verbs: ['CAPABILITY'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  parse: (args) => args.end(),
  async run(ctx) {
    ctx.untagged([atom('CAPABILITY'), ...ctx.capabilities().map(atom)]);
    return ok('CAPABILITY completed');
  },
});
