// A1 NAMESPACE
import { defineCommand, ok } from '../imap-command.js';
import { atom } from '../protocol/imap-writer.js';

/** RFC 2342: one personal namespace; no other users' or shared namespaces exist. */
export const namespaceCommand = defineCommand({
  verbs: ['NAMESPACE'],
  states: ['authenticated', 'selected'],
  parse: (args) => args.end(),
  async run(ctx) {
    ctx.untagged([atom('NAMESPACE'), [['', '/']], null, null]);
    return ok('NAMESPACE completed');
  },
});
