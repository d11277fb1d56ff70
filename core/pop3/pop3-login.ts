import { loginsTotal } from '../metrics/metrics-registry.js';
import type { Pop3Context } from './pop3-command.js';
import { POP3_LIMITS } from './pop3.limits.js';
import { err, ok, type Pop3Reply } from './pop3-reply.js';

const REFUSALS = {
  invalid: 'invalid user name or password',
  locked: 'too many failed logins, try again later',
  disabled: 'this account is disabled',
} as const;

/** The end of USER/PASS and AUTH PLAIN: check the password, lock the maildrop, enter TRANSACTION. */
export async function login(context: Pop3Context, username: string, password: string): Promise<Pop3Reply> {
  const { session, backend } = context;
  const result = await backend.authenticate(username, password, session.remoteAddress);
  if (!result.ok) {
    loginsTotal.inc({ protocol: 'pop3', outcome: result.reason });
    session.authFailures++;
    // RFC 3206 §4: [AUTH] says the credentials are the problem, so the client should ask the user.
    return err(REFUSALS[result.reason], 'AUTH', session.authFailures >= POP3_LIMITS.maxAuthFailures ? 'close' : undefined);
  }
  const opened = await backend.openMaildrop(result.accountId, session.id);
  if (!opened.ok) {
    loginsTotal.inc({ protocol: 'pop3', outcome: opened.code.toLowerCase() });
    return err(opened.text, opened.code);
  }
  loginsTotal.inc({ protocol: 'pop3', outcome: 'ok' });
  session.state = 'TRANSACTION';
  session.address = result.address;
  session.credentialId = result.credentialId;
  session.maildrop = opened.maildrop;
  context.log.info({ user: result.address, messages: opened.maildrop.messages.length }, 'pop3 login');
  return ok(`maildrop has ${opened.maildrop.messages.length} messages`);
}
