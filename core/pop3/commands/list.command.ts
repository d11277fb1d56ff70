// LIST  →  +OK 2 messages (320 octets) / 1 120 / 2 200 / .      LIST 2  →  +OK 2 200
import { defineCommand, optionalMessageArg } from '../pop3-command.js';
import { ok } from '../pop3-reply.js';

export const listCommand = defineCommand({
  verb: 'LIST',
  states: ['TRANSACTION'],
  args: optionalMessageArg,
  run: async ({ session, backend }, message) => {
    const maildrop = session.maildrop!;
    if (message) {
      await backend.measure([message]);
      return ok(`${message.number} ${message.octets}`);
    }
    const live = maildrop.live();
    await backend.measure(live);
    return ok(`${live.length} messages (${maildrop.liveOctets()} octets)`, {
      lines: live.map((item) => `${item.number} ${item.octets}`),
    });
  },
});
