// CAPA  →  +OK / TOP / UIDL / USER / SASL PLAIN / ... / .
import { defineCommand, noArgs, plaintextAllowed, type Pop3Context } from '../pop3-command.js';
import { ok } from '../pop3-reply.js';

/** RFC 2449 §5: what this server can do, as it stands for this connection now. */
export const capaCommand = defineCommand({
  verb: 'CAPA',
  states: ['AUTHORIZATION', 'TRANSACTION'],
  args: noArgs,
  run: (context) => ok('capability list follows', { lines: capabilities(context) }),
});

function capabilities(context: Pop3Context): string[] {
  const { session, config } = context;
  const lines = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
  if (session.state === 'AUTHORIZATION') {
    // RFC 2595 §4: no STLS once TLS is on; USER and SASL only where they may be used.
    if (!session.secure) lines.push('STLS');
    if (plaintextAllowed(context)) lines.push('USER', 'SASL PLAIN');
  }
  const expire = config.pop3Expire === 'never' ? 'NEVER' : String(config.pop3Expire);
  lines.push(`EXPIRE ${expire}`);
  if (config.pop3LoginDelaySeconds > 0) lines.push(`LOGIN-DELAY ${config.pop3LoginDelaySeconds}`);
  lines.push('IMPLEMENTATION Mailhive');
  return lines;
}
