// C: MAIL FROM:<ann@example.org> SIZE=4096 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ314159
import type { SMTPServerAddress } from 'smtp-server';
import { parseMailDsn } from '../../envelope/dsn-params.js';
import { pluginReply, REPLIES, type SmtpReply } from '../smtp-reply.js';
import type { SmtpHandlerContext } from '../smtp-handler-context.js';
import { resetTransaction, type SmtpSessionState } from '../smtp-session.js';

export async function onMailFrom(
  context: SmtpHandlerContext,
  state: SmtpSessionState,
  address: SMTPServerAddress,
  helo: string,
): Promise<SmtpReply | null> {
  const sender = address.address;
  const size = address.args && typeof address.args.SIZE === 'string' ? Number(address.args.SIZE) : 0;
  resetTransaction(state, '', 0);
  const dsn = parseMailDsn(address.args);
  if (!dsn.ok) return { ...REPLIES.badDsnParameter, text: dsn.text };
  if (state.kind === 'submission') {
    if (!state.account) return REPLIES.authRequired;
    if (!(await context.submission.ownsAddress(state.account, sender))) return REPLIES.senderNotOwned;
    if (!(await context.submission.rateAllowed(state.account))) return REPLIES.rateLimited;
  }
  const session = { sessionId: state.id, remoteAddress: state.remoteAddress, user: state.account?.address };
  if (context.plugins.has('smtp.ehlo') && state.heloChecked !== helo) {
    // smtp-server has no EHLO callback: the hook runs before the first MAIL after each EHLO.
    const { decision } = await context.plugins.run('smtp.ehlo', { ...session, helo });
    if (decision.action === 'reject' || decision.action === 'tempfail') return pluginReply(decision);
    state.heloChecked = helo;
  }
  if (context.plugins.has('smtp.mail')) {
    const { decision } = await context.plugins.run('smtp.mail', { ...session, sender });
    if (decision.action === 'reject' || decision.action === 'tempfail') return pluginReply(decision);
  }
  resetTransaction(state, sender, Number.isFinite(size) ? size : 0, dsn.value);
  return null;
}
