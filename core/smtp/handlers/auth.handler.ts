// C: AUTH PLAIN AGFubkBleGFtcGxlLm9yZwBzZWNyZXQ=  (submission only, after TLS: smtp-server answers 538 before it)
import type { Principal } from '../../accounts/principal.js';
import { loginsTotal } from '../../metrics/metrics-registry.js';
import { pluginReply, reply, type SmtpReply } from '../smtp-reply.js';
import type { SmtpHandlerContext } from '../smtp-handler-context.js';
import type { SmtpSessionState } from '../smtp-session.js';

export type AuthOutcome = { ok: true; account: Principal } | { ok: false; reply: SmtpReply };

const INVALID = reply(535, '5.7.8', 'Authentication credentials invalid');
const LOCKED = reply(454, '4.7.0', 'Too many failed logins, try again later');

export async function onAuth(
  context: SmtpHandlerContext,
  state: SmtpSessionState,
  method: string,
  username: string,
  password: string,
): Promise<AuthOutcome> {
  if (context.plugins.has('smtp.auth')) {
    const { decision } = await context.plugins.run('smtp.auth', {
      sessionId: state.id,
      remoteAddress: state.remoteAddress,
      username,
      method,
    });
    if (decision.action === 'reject' || decision.action === 'tempfail') return { ok: false, reply: pluginReply(decision) };
  }
  const result = await context.auth.authenticate({ username, password, remoteAddress: state.remoteAddress, protocol: 'smtp' });
  loginsTotal.inc({ protocol: 'smtp', outcome: result.ok ? 'ok' : result.reason });
  if (result.ok) return { ok: true, account: result.account };
  return { ok: false, reply: result.reason === 'locked' ? LOCKED : INVALID };
}
