// S: 220 mail.example.org ESMTP  (smtp.connect hook before the greeting)
import { pluginReply, REPLIES, type SmtpReply } from '../smtp-reply.js';
import type { SmtpHandlerContext } from '../smtp-handler-context.js';
import type { SmtpSessionState } from '../smtp-session.js';

export async function onConnect(context: SmtpHandlerContext, state: SmtpSessionState): Promise<SmtpReply | null> {
  if (!context.plugins.has('smtp.connect')) return null;
  const { decision } = await context.plugins.run('smtp.connect', { sessionId: state.id, remoteAddress: state.remoteAddress });
  if (decision.action === 'reject') return { ...pluginReply(decision), code: 554 };
  if (decision.action === 'tempfail') return { ...REPLIES.pluginTempfail, code: 421 };
  return null;
}
