// A1 STARTTLS
import { bad, defineCommand, ok } from '../imap-command.js';

export const starttlsCommand = defineCommand({
  verbs: ['STARTTLS'],
  states: ['not-authenticated'],
  parse: (args) => args.end(),
  async run(ctx) {
    if (ctx.session.secure) return bad('TLS is already active');
    // RFC 3501 §6.2.1: the handshake starts right after the tagged OK; the client must send the
    // next command only over TLS, so nothing buffered before it is kept.
    return { ...ok('Begin TLS negotiation now'), after: () => ctx.startTls().catch(() => ctx.close()) };
  },
});
