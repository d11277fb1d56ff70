// QUIT  →  +OK bye (2 messages deleted)   (in TRANSACTION: the UPDATE state removes the DELE-marked messages)
import { defineCommand, noArgs } from '../pop3-command.js';
import { err, ok } from '../pop3-reply.js';

export const quitCommand = defineCommand({
  verb: 'QUIT',
  states: ['AUTHORIZATION', 'TRANSACTION'],
  args: noArgs,
  run: async ({ session, backend, config, log }) => {
    const maildrop = session.maildrop;
    if (session.state === 'AUTHORIZATION' || !maildrop) return ok('bye', { then: 'close' });
    session.state = 'UPDATE';
    const deleteRetrieved = config.pop3Expire === 0;
    const expunge = maildrop.messages.filter((m) => m.deleted || (deleteRetrieved && m.retrieved)).map((m) => m.uid);
    const seen = config.pop3RetrMarksSeen ? maildrop.messages.filter((m) => m.retrieved && !m.deleted).map((m) => m.uid) : [];
    try {
      const { expunged } = await backend.closeMaildrop(maildrop, { expunge, seen });
      session.maildrop = null;
      return ok(`bye (${expunged} messages deleted)`, { then: 'close' });
    } catch (error) {
      session.maildrop = null;
      log.error({ err: error }, 'pop3 update failed');
      // RFC 1939 §6: if the removal fails, say so with -ERR.
      return err('some deleted messages were not removed', 'SYS/TEMP', 'close');
    }
  },
});
