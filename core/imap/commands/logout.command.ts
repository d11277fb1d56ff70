// A1 LOGOUT
import { defineCommand, ok } from '../imap-command.js';
import { atom } from '../protocol/imap-writer.js';

export const logoutCommand = defineCommand({
  verbs: ['LOGOUT'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  parse: (args) => args.end(),
  async run(ctx) {
    ctx.untagged([atom('BYE Logging out')]);
    ctx.session.selected = null;
    ctx.session.state = 'logout';
    return { ...ok('LOGOUT completed'), after: () => ctx.close() };
  },
});
