import { randomBytes } from 'node:crypto';
import { rfc5322Date } from '../envelope/rfc5322-date.js';
import { statusOf, type RecipientResult } from './delivery-result.js';

/** RFC 3464 §2.3.3: what happened to one recipient. */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed';

export interface DsnRecipient {
  result: RecipientResult;
  action: DsnAction;
  /** The ORCPT of the recipient (`type;address`), for Original-Recipient. */
  orcpt: string | null;
  /** For `delayed`: when the queue gives up. */
  willRetryUntil?: number;
}

export interface DsnInput {
  hostname: string;
  /** The original envelope sender, who receives the report. */
  sender: string;
  recipients: readonly DsnRecipient[];
  original: Buffer;
  /** RFC 3461 RET: FULL returns the whole message in a failure report; otherwise only its header. */
  ret: 'FULL' | 'HDRS' | null;
  /** RFC 3461 ENVID, reported as Original-Envelope-Id. */
  envid: string | null;
  arrivalDate: number;
  /** True when the failed recipients failed because the queue lifetime ran out. */
  expired: boolean;
  date?: Date;
}

const SUBJECTS: Record<'failed' | 'delayed' | 'success', string> = {
  failed: 'Undelivered Mail Returned to Sender',
  delayed: 'Delayed Mail (still being retried)',
  success: 'Successful Mail Delivery Report',
};

/** A delivery status notification (RFC 3464) as a multipart/report message (RFC 6522), CRLF line endings. */
export function buildDsn(input: DsnInput): Buffer {
  const boundary = `dsn-${randomBytes(12).toString('hex')}`;
  const date = input.date ?? new Date();
  const failed = input.recipients.some((item) => item.action === 'failed');
  const kind = failed ? 'failed' : input.recipients.some((item) => item.action === 'delayed') ? 'delayed' : 'success';
  const human = [`This is the mail system at ${input.hostname}.`, ''];
  const explain = (action: DsnAction, text: string) => {
    const listed = input.recipients.filter((item) => item.action === action);
    if (listed.length === 0) return;
    human.push(text, '', ...listed.map((item) => `  <${item.result.recipient}>: ${oneLine(item.result.response)}`), '');
  };
  explain(
    'failed',
    input.expired ? 'Your message could not be delivered in time and was given up for:' : 'Your message could not be delivered to:',
  );
  explain('delayed', 'Your message has not been delivered yet to the following recipients; delivery is still being retried:');
  explain('delivered', 'Your message was delivered to:');
  explain('relayed', 'Your message was handed to a mail server that sends no delivery notifications, for:');

  const perRecipient = input.recipients.map((item) =>
    [
      ...(item.orcpt ? [`Original-Recipient: ${item.orcpt}`] : []),
      `Final-Recipient: rfc822; ${item.result.recipient}`,
      `Action: ${item.action}`,
      `Status: ${status(item, input.expired)}`,
      ...(item.result.remoteMta ? [`Remote-MTA: dns; ${item.result.remoteMta}`] : []),
      ...(item.action === 'failed' || item.action === 'delayed' || item.result.remoteMta
        ? [`Diagnostic-Code: smtp; ${oneLine(item.result.response)}`]
        : []),
      ...(item.willRetryUntil ? [`Will-Retry-Until: ${rfc5322Date(new Date(item.willRetryUntil))}`] : []),
    ].join('\r\n'),
  );
  // RFC 3461 §4.3: RET asks for the full message only in a report of failure; any other report returns the header.
  const full = failed && input.ret === 'FULL';
  const returned = full ? input.original : originalHeader(input.original);
  const lines = [
    `From: Mail Delivery System <MAILER-DAEMON@${input.hostname}>`,
    `To: <${input.sender}>`,
    `Subject: ${SUBJECTS[kind]}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${Date.now()}.${randomBytes(6).toString('hex')}@${input.hostname}>`,
    // RFC 3834 §5: no auto-reply to an automatic message.
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...human,
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    ...(input.envid ? [`Original-Envelope-Id: ${input.envid}`] : []),
    `Reporting-MTA: dns; ${input.hostname}`,
    `Arrival-Date: ${rfc5322Date(new Date(input.arrivalDate))}`,
    '',
    perRecipient.join('\r\n\r\n'),
    '',
    `--${boundary}`,
    full ? 'Content-Type: message/rfc822' : 'Content-Type: text/rfc822-headers',
    ...(returned.some((byte) => byte > 0x7e) ? ['Content-Transfer-Encoding: 8bit'] : []),
    '',
  ];
  const end = returned.length > 0 && returned.subarray(-2).toString() !== '\r\n' ? '\r\n\r\n' : '\r\n';
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), returned, Buffer.from(`${end}--${boundary}--\r\n`)]);
}

/** RFC 3463 status: 4.4.7 on expiry, 2.x.x for success, else the code of the reply. */
function status(item: DsnRecipient, expired: boolean): string {
  if (item.action === 'failed' && expired) return '4.4.7';
  if (item.action === 'delivered' || item.action === 'relayed') {
    return /^2\d{2}[ -](2\.\d{1,3}\.\d{1,3})\b/.exec(item.result.response)?.[1] ?? '2.0.0';
  }
  return statusOf(item.result);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 900);
}

/** The header block of the original message (up to its blank line), ending in CRLF. */
function originalHeader(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw.subarray(0, 64 * 1024) : raw.subarray(0, end + 2);
  return head.length > 0 && head.subarray(-2).toString() !== '\r\n' ? Buffer.concat([head, Buffer.from('\r\n')]) : head;
}
