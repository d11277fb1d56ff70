// RSET  →  +OK maildrop has 2 messages
import { defineCommand, noArgs } from '../pop3-command.js';
import { ok } from '../pop3-reply.js';

export const rsetCommand = defineCommand({
  verb: 'RSET',
  states: ['TRANSACTION'],
  args: noArgs,
  run: ({ session }) => {
    const maildrop = session.maildrop!;
    for (const message of maildrop.messages) message.deleted = false;
    return ok(`maildrop has ${maildrop.messages.length} messages`);
  },
});
