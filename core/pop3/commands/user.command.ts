// USER ann@example.com  →  +OK send PASS
import { defineCommand, plaintextAllowed, textArg } from '../pop3-command.js';
import { err, ok } from '../pop3-reply.js';

export const userCommand = defineCommand({
  verb: 'USER',
  states: ['AUTHORIZATION'],
  args: textArg,
  run: (context, name) => {
    if (!plaintextAllowed(context)) return err('plaintext authentication is not allowed without TLS, use STLS first', 'AUTH');
    context.session.pendingUser = name.trim();
    return ok('send PASS');
  },
});
