// C: DATA  S: 354  C: <message> CRLF . CRLF  S: 250 2.6.0 (only once the message is stored)
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { SMTPServerSession } from 'smtp-server';
import { obscureOwnAuthResults } from '../intake/auth-results-guard.js';
import { checkFromFields, unauthenticatedHostedDomain } from '../intake/from-policy.js';
import { headerBlock } from '../intake/header-limit.js';
import { missingOriginFields } from '../intake/origin-fields.js';
import { spoolData } from '../intake/spool-writer.js';
import { pluginHeaders } from '../../plugin-host/plugin-headers.js';
import { QUARANTINE } from '../../mail/delivery-actions.js';
import type { DeliveryRequest, MessageSource } from '../../mail/delivery.types.js';
import type { DeliveryAction } from '../../plugin-host/plugin-api.js';
import { deliveryRefusalReply, pluginReply, REPLIES, type SmtpReply } from '../smtp-reply.js';
import type { SmtpHandlerContext } from '../smtp-handler-context.js';
import type { SmtpSessionState } from '../smtp-session.js';
import { receivedHeader } from '../trace-headers.js';
import { logMessageEvent, queueIdOf } from '../../logging/message-event.js';
import { reportRefusal } from '../refusal-report.js';

export type DataOutcome = { kind: 'reply'; reply: SmtpReply } | { kind: 'accepted'; text: string };

export async function onData(
  context: SmtpHandlerContext,
  state: SmtpSessionState,
  stream: Readable,
  session: SMTPServerSession,
): Promise<DataOutcome> {
  // The session id is random and the transaction number unique within it.
  const spoolPath = join(context.spoolDir, `${state.id}-${session.transaction}.eml`);
  const started = performance.now();
  const spooled = await spoolData(stream, spoolPath, context.config.maxMessageSize);
  const spooledAt = performance.now();
  const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
  const refuse = (reply: SmtpReply): DataOutcome => {
    reportRefusal(state, recipients, reply, spooled.received);
    return { kind: 'reply', reply };
  };
  try {
    if (spooled.tooBig) return refuse(REPLIES.tooBig);
    if (spooled.bareLineEndings && context.config.smtpBareLineEndings === 'reject') return refuse(REPLIES.bareLineEnding);
    // Every check below reads header fields from memory, so the whole header block must be there.
    const block = headerBlock(spooled.head, spooled.headTruncated);
    if (block.kind === 'too-large') return refuse(REPLIES.headerTooLarge);
    const from = checkFromFields(spooled.head, block.header);
    if (from.kind === 'refused') return refuse(from.reply);
    if (state.kind === 'submission' && state.account) {
      for (const address of from.addresses) {
        if (!(await context.submission.ownsAddress(state.account, address))) return refuse(REPLIES.fromNotOwned);
      }
    }
    let authHeaders = '';
    let authSummary: { spf: string; dkim: string; dmarc: string } | undefined;
    const authAt = performance.now();
    if (state.kind === 'mx') {
      const auth = await context.inboundAuth.check({
        spoolPath,
        content: spooled.complete ? spooled.head : null,
        remoteAddress: state.remoteAddress,
        helo: session.hostNameAppearsAs,
        sender: state.sender,
      });
      authSummary = { spf: auth.spf, dkim: auth.dkim, dmarc: auth.dmarc };
      if (auth.dmarcReject && context.config.smtpDmarcReject) {
        state.log.info({ sender: state.sender, ...authSummary }, 'message refused by DMARC policy');
        return refuse(REPLIES.dmarcReject);
      }
      // Mail from outside in the name of one of our domains: the classic forged "from the boss" message.
      const spoofed = context.config.smtpLocalSpoofReject
        ? await unauthenticatedHostedDomain(from.addresses, auth, (domain) => context.recipients.isHostedDomain(domain))
        : null;
      if (spoofed) {
        state.log.info({ sender: state.sender, from: spoofed, ...authSummary }, 'message refused: unauthenticated From of a hosted domain');
        return refuse(REPLIES.localSpoof);
      }
      authHeaders = auth.headers;
    }
    const storeAt = performance.now();
    const trace =
      authHeaders +
      receivedHeader({
        helo: session.hostNameAppearsAs,
        clientHostname: session.clientHostname || null,
        remoteAddress: state.remoteAddress,
        hostname: context.config.hostname,
        sessionId: state.id,
        secure: session.secure,
        authenticated: !!state.account,
        smtpUtf8: !!session.envelope.smtpUtf8,
        recipients,
      }) +
      (state.kind === 'submission' ? missingOriginFields(spooled.head, spooled.complete, context.config.hostname) : '');

    let actions: readonly DeliveryAction[] = [];
    if (context.plugins.has('smtp.data')) {
      const raw = spooled.complete ? spooled.head : await readFile(spoolPath);
      const { decision } = await context.plugins.run('smtp.data', {
        sessionId: state.id,
        remoteAddress: state.remoteAddress,
        user: state.account?.address,
        sender: state.sender,
        recipients,
        headers: pluginHeaders(raw),
        size: raw.length,
        raw,
      });
      if (decision.action === 'reject' || decision.action === 'tempfail') return refuse(pluginReply(decision));
      if (decision.action === 'discard') return { kind: 'accepted', text: 'Ok: message accepted' };
      if (decision.action === 'quarantine') actions = QUARANTINE;
    }

    const delivery: DeliveryRequest = {
      via: state.kind === 'submission' ? 'submission' : 'smtp',
      sessionId: state.id,
      sender: state.sender,
      trace,
      source: messageSource(spoolPath, spooled.head, spooled.complete, context.config.hostname),
      local: [...state.local.values()],
      remote: [...state.remote],
      actions,
      dsn: { ...state.dsn, recipients: Object.fromEntries(state.recipientDsn) },
    };
    const outcome = state.account
      ? await context.submission.submit({ user: state.account, recipients, head: spooled.head, size: spooled.received, delivery })
      : await context.delivery.deliver(delivery);
    if (outcome.kind === 'refused') return refuse(deliveryRefusalReply(outcome.refusal));
    if (outcome.kind === 'discarded') return { kind: 'accepted', text: 'Ok: message accepted' };
    const ms = (from: number, to: number) => Math.round((to - from) * 10) / 10;
    const queueId = queueIdOf(outcome.blobId);
    logMessageEvent(
      state.log.child({
        blob: outcome.blobId,
        auth: authSummary,
        ms: { spool: ms(started, spooledAt), auth: ms(authAt, storeAt), store: ms(storeAt, performance.now()), ...outcome.ms },
      }),
      {
        event: 'accepted',
        queueId,
        messageId: outcome.messageId,
        from: state.sender,
        to: recipients,
        size: spooled.received,
        client: state.remoteAddress,
        delay: (performance.now() - started) / 1000,
        status: `stored ${outcome.stored}, queued ${outcome.queued}${outcome.refused > 0 ? `, refused ${outcome.refused}` : ''}`,
      },
    );
    return { kind: 'accepted', text: `Ok: queued as ${queueId}` };
  } finally {
    if (spooled.path) await rm(spooled.path, { force: true });
  }
}

/** Where the stored bytes come from, with forged Authentication-Results fields in our name renamed. */
function messageSource(spoolPath: string, head: Buffer, complete: boolean, hostname: string): MessageSource {
  const renamed = obscureOwnAuthResults(head, complete, hostname);
  if (complete) return { kind: 'memory', bytes: renamed ? Buffer.concat([renamed.header, head.subarray(renamed.end)]) : head };
  return { kind: 'spool', path: spoolPath, header: renamed?.header ?? Buffer.alloc(0), offset: renamed?.end ?? 0 };
}
