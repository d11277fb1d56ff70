// A1 LOGIN "user@example.com" "secret"
import { defineCommand } from '../imap-command.js';
import { login } from './login-session.js';

export const loginCommand = defineCommand({
  verbs: ['LOGIN'],
  states: ['not-authenticated'],
  parse(args) {
    const username = args.string('user name');
    const password = args.string('password');
    args.end();
    return { username, password };
  },
  run: (ctx, { username, password }) => login(ctx, username, password),
});
