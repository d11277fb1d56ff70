// PASS secret words  →  +OK maildrop has 3 messages  |  -ERR [AUTH] ...  |  -ERR [IN-USE] ...
import { defineCommand, plaintextAllowed, textArg } from '../pop3-command.js';
import { login } from '../pop3-login.js';
import { err } from '../pop3-reply.js';

export const passCommand = defineCommand({
  verb: 'PASS',
  states: ['AUTHORIZATION'],
  args: textArg,
  run: (context, password) => {
    const user = context.session.pendingUser;
    // RFC 1939 §7: PASS is valid only right after a successful USER.
    context.session.pendingUser = null;
    if (user === null) return err('send USER first');
    if (!plaintextAllowed(context)) return err('plaintext authentication is not allowed without TLS, use STLS first', 'AUTH');
    return login(context, user, password);
  },
});
