// TOP 1 10  →  +OK top of message follows / <header, blank line, 10 body lines> / .
import { defineCommand, messageAndLinesArg } from '../pop3-command.js';
import { sendMessage } from '../pop3-message-data.js';

export const topCommand = defineCommand({
  verb: 'TOP',
  states: ['TRANSACTION'],
  args: messageAndLinesArg,
  // RFC 1939 §7: TOP does not count as retrieval (no \Seen, no EXPIRE 0 deletion).
  run: (context, { message, lines }) => sendMessage(context.backend, context.session.maildrop!, message, lines),
});
