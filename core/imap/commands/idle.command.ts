// A1 IDLE   →   + idling   ...   DONE
import { bad, defineCommand, ok } from '../imap-command.js';

/** RFC 2177: changes are written as they arrive (the bus calls in, the view catches up with the store) until DONE. */
export const idleCommand = defineCommand({
  verbs: ['IDLE'],
  states: ['authenticated', 'selected'],
  parse: (args) => args.end(),
  async run(ctx) {
    const selected = ctx.session.selected;
    ctx.continuation('idling');
    let idling = true;
    if (selected) selected.onChange = () => void ctx.reportChanges(() => idling);
    try {
      await ctx.reportChanges(() => idling);
      const frame = await ctx.readFrame();
      if (frame.kind === 'end') return ok('IDLE ended');
      if (frame.kind === 'command' && frame.bytes.toString('latin1').trim().toUpperCase() === 'DONE') return ok('IDLE terminated');
      return bad('Expected DONE');
    } finally {
      idling = false;
      if (selected) selected.onChange = null;
    }
  },
});
