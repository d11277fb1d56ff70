// C: RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org
import type { SMTPServerAddress } from 'smtp-server';
import type { RecipientAccount } from '../../mail/recipient-resolver.service.js';
import { hasRecipientDsn, parseRcptDsn } from '../../envelope/dsn-params.js';
import { pluginReply, REPLIES, reply, type SmtpReply } from '../smtp-reply.js';
import type { SmtpHandlerContext } from '../smtp-handler-context.js';
import type { SmtpSessionState } from '../smtp-session.js';

export async function onRcptTo(
  context: SmtpHandlerContext,
  state: SmtpSessionState,
  address: SMTPServerAddress,
): Promise<SmtpReply | null> {
  const dsn = parseRcptDsn(address.args);
  if (!dsn.ok) return { ...REPLIES.badDsnParameter, text: dsn.text };
  const resolution = await context.recipients.resolve(address.address);
  if (resolution.kind === 'invalid') return REPLIES.invalidAddress;
  if (resolution.kind === 'unknown') return resolution.loop ? REPLIES.routingLoop : REPLIES.unknownUser;
  // Never an open relay: only an authenticated submission may name a domain we do not host.
  if (resolution.kind === 'remote' && !(state.kind === 'submission' && state.account)) return REPLIES.relayDenied;

  let accepted: RecipientAccount[] = [];
  if (resolution.kind === 'local' && resolution.lists) {
    const posting = await context.recipients.lists.mayPost(resolution.lists, {
      envelope: state.sender,
      authenticated: state.account?.address ?? null,
    });
    if (posting.action === 'refuse') return reply(550, '5.7.1', posting.text);
  }
  if (resolution.kind === 'local') {
    const full = resolution.accounts.map((account) => ({ account, refusal: quotaRefusal(account, state.declaredSize) }));
    accepted = full.filter((entry) => !entry.refusal).map((entry) => entry.account);
    // A single mailbox answers for itself; a list still delivers to its members that have room.
    if (resolution.accounts.length === 1 && full[0]!.refusal) return full[0]!.refusal;
  }

  if (context.plugins.has('smtp.rcpt')) {
    const { decision } = await context.plugins.run('smtp.rcpt', {
      sessionId: state.id,
      remoteAddress: state.remoteAddress,
      user: state.account?.address,
      sender: state.sender,
      recipient: address.address,
    });
    if (decision.action === 'reject' || decision.action === 'tempfail') return pluginReply(decision);
  }

  // RFC 3461 §6.2.7.3: an alias passes the RCPT's DSN parameters on to every address it expands to.
  const keepDsn = (final: string) => {
    if (hasRecipientDsn(dsn.value)) state.recipientDsn.set(final.toLowerCase(), dsn.value);
  };
  if (resolution.kind === 'remote') {
    state.remote.add(resolution.address);
    keepDsn(resolution.address);
    return null;
  }
  for (const account of accepted) {
    if (!state.local.has(account.id))
      state.local.set(account.id, { accountId: account.id, inboxId: account.inboxId, recipient: account.address, rcpt: address.address });
    keepDsn(account.address);
  }
  for (const remote of resolution.remote) {
    state.remote.add(remote);
    keepDsn(remote);
  }
  return null;
}

/** RFC 5321 §4.5.3.1.10 / RFC 3463: full now → 452 4.2.2; larger than the whole quota → 552 5.2.2. */
function quotaRefusal(account: RecipientAccount, declaredSize: number): SmtpReply | null {
  if (account.quotaBytes <= 0) return null;
  if (declaredSize > account.quotaBytes) return REPLIES.neverFits;
  if (account.usedBytes + Math.max(declaredSize, 1) > account.quotaBytes) return REPLIES.mailboxFull;
  return null;
}
