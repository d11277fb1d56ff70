// UIDL  →  +OK / 1 1732886400.17 / 2 1732886400.18 / .      UIDL 2  →  +OK 2 1732886400.18
import { defineCommand, optionalMessageArg } from '../pop3-command.js';
import { ok } from '../pop3-reply.js';

export const uidlCommand = defineCommand({
  verb: 'UIDL',
  states: ['TRANSACTION'],
  args: optionalMessageArg,
  run: ({ session }, message) => {
    const maildrop = session.maildrop!;
    if (message) return ok(`${message.number} ${maildrop.uidl(message)}`);
    return ok('unique-id listing follows', { lines: maildrop.live().map((item) => `${item.number} ${maildrop.uidl(item)}`) });
  },
});
