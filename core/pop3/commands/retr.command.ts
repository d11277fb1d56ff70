// RETR 1  →  +OK 120 octets / <message, dot-stuffed> / .
import { defineCommand, messageArg } from '../pop3-command.js';
import { sendMessage } from '../pop3-message-data.js';

export const retrCommand = defineCommand({
  verb: 'RETR',
  states: ['TRANSACTION'],
  args: messageArg,
  run: async (context, message) => {
    const reply = await sendMessage(context.backend, context.session.maildrop!, message, null);
    if (reply.kind === 'ok') message.retrieved = true;
    return reply;
  },
});
