// STLS  →  +OK begin TLS negotiation  (then the TLS handshake; the session restarts in AUTHORIZATION)
import { defineCommand, noArgs } from '../pop3-command.js';
import { err, ok } from '../pop3-reply.js';

export const stlsCommand = defineCommand({
  verb: 'STLS',
  states: ['AUTHORIZATION'],
  args: noArgs,
  run: (context) => {
    if (context.session.secure) return err('TLS is already active');
    return ok('begin TLS negotiation', { then: 'starttls' });
  },
});
