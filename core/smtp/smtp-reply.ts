import type { DeliveryRefusal } from '../mail/delivery.types.js';
import type { MailErrorCode } from '../mail/mail.errors.js';

/** A refusal as a value: reply code, RFC 3463 enhanced status code and text. */
export interface SmtpReply {
  code: number;
  enhanced: string;
  text: string;
}

/** The error shape smtp-server sends as a reply; the text starts with its own enhanced code (see enhanced-codes.patch.ts). */
export class SmtpReplyError extends Error {
  readonly responseCode: number;

  constructor(reply: SmtpReply) {
    super(`${reply.enhanced} ${reply.text}`);
    this.responseCode = reply.code;
  }
}

export function reply(code: number, enhanced: string, text: string): SmtpReply {
  return { code, enhanced, text };
}

export const REPLIES = {
  unknownUser: reply(550, '5.1.1', 'No such user here'),
  // RFC 3463 §3.5: X.4.6 routing loop detected (an alias that expands only back to itself).
  routingLoop: reply(550, '5.4.6', 'Routing loop detected'),
  invalidAddress: reply(553, '5.1.3', 'Bad recipient address syntax'),
  relayDenied: reply(554, '5.7.1', 'Relay access denied'),
  mailboxFull: reply(452, '4.2.2', 'Mailbox full, try again later'),
  neverFits: reply(552, '5.2.2', 'Message exceeds the mailbox quota'),
  tooBig: reply(552, '5.3.4', 'Message exceeds the maximum message size'),
  senderNotOwned: reply(553, '5.7.1', 'Sender address not owned by the authenticated user'),
  fromNotOwned: reply(553, '5.7.1', 'From header not owned by the authenticated user'),
  authRequired: reply(530, '5.7.0', 'Authentication required'),
  rateLimited: reply(450, '4.7.1', 'Sending rate limit exceeded, try again later'),
  tooManyConnections: reply(421, '4.7.0', 'Too many connections from your address'),
  tooManyBadCommands: reply(421, '4.7.0', 'Too many errors, closing connection'),
  bareLineEnding: reply(550, '5.6.0', 'Bare CR or LF in message data is not allowed (RFC 5321 §2.3.8)'),
  dmarcReject: reply(550, '5.7.1', 'Message rejected by the DMARC policy of the sender domain'),
  headerTooLarge: reply(552, '5.3.4', 'Message header block exceeds 256 KiB'),
  repeatedFrom: reply(550, '5.6.0', 'Message has more than one From header field (RFC 5322 §3.6 allows exactly one)'),
  tooManyFromAddresses: reply(550, '5.6.0', 'From header field lists too many addresses'),
  localSpoof: reply(550, '5.7.1', 'From names a domain hosted here, but the message is not authenticated as sent by it'),
  localError: reply(451, '4.3.0', 'Local error in processing, try again later'),
  pluginTempfail: reply(451, '4.7.1', 'Message deferred, try again later'),
  pluginReject: reply(550, '5.7.1', 'Message rejected by policy'),
  nullSenderMultiple: reply(550, '5.5.1', 'Null sender allowed for one recipient only'),
  serverClosing: reply(421, '4.3.2', 'Service shutting down'),
  badDsnParameter: reply(501, '5.5.4', 'Invalid DSN parameter'),
} satisfies Record<string, SmtpReply>;

/** MailError → SMTP, in one place (style.md: one error type per feature, mapped per surface). */
export function mailErrorReply(code: MailErrorCode): SmtpReply {
  switch (code) {
    case 'OVERQUOTA':
      return REPLIES.mailboxFull;
    case 'TOOBIG':
      return REPLIES.tooBig;
    default:
      return REPLIES.localError;
  }
}

/** A plugin's reject/tempfail decision as a reply. */
export function pluginReply(
  decision: { action: 'reject'; code?: number; text?: string } | { action: 'tempfail'; text?: string },
): SmtpReply {
  if (decision.action === 'tempfail') return { ...REPLIES.pluginTempfail, text: decision.text ?? REPLIES.pluginTempfail.text };
  const code = decision.code && decision.code >= 400 && decision.code < 600 ? decision.code : 550;
  return { code, enhanced: code < 500 ? '4.7.1' : '5.7.1', text: decision.text ?? REPLIES.pluginReject.text };
}

/** DeliveryRefusal → SMTP; every local recipient over quota is 452 4.2.2, so the client retries later. */
export function deliveryRefusalReply(refusal: DeliveryRefusal): SmtpReply {
  switch (refusal.reason) {
    case 'mail':
      return mailErrorReply(refusal.code);
    case 'policy':
      return pluginReply({ action: 'reject', code: refusal.code, text: refusal.text });
    case 'tempfail':
      return pluginReply({ action: 'tempfail', text: refusal.text });
    case 'local-error':
      return REPLIES.localError;
  }
}
