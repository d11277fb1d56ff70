// DELE 1  →  +OK message 1 deleted   (only marked; removed in the UPDATE state after QUIT)
import { defineCommand, messageArg } from '../pop3-command.js';
import { ok } from '../pop3-reply.js';

export const deleCommand = defineCommand({
  verb: 'DELE',
  states: ['TRANSACTION'],
  args: messageArg,
  run: (_context, message) => {
    message.deleted = true;
    return ok(`message ${message.number} deleted`);
  },
});
