// STAT  →  +OK 2 320
import { defineCommand, noArgs } from '../pop3-command.js';
import { ok } from '../pop3-reply.js';

export const statCommand = defineCommand({
  verb: 'STAT',
  states: ['TRANSACTION'],
  args: noArgs,
  run: async ({ session, backend }) => {
    const maildrop = session.maildrop!;
    const live = maildrop.live();
    await backend.measure(live);
    return ok(`${live.length} ${maildrop.liveOctets()}`);
  },
});
