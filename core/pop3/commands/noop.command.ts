// NOOP  →  +OK
import { defineCommand, noArgs } from '../pop3-command.js';
import { ok } from '../pop3-reply.js';

export const noopCommand = defineCommand({
  verb: 'NOOP',
  states: ['TRANSACTION'],
  args: noArgs,
  run: () => ok(''),
});
