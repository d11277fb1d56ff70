import { randomBytes } from 'node:crypto';
import { rfc5322Date } from '../smtp/trace-headers.js';
import { statusOf, type RecipientResult } from './delivery-result.js';

export interface DsnInput {
  hostname: string;
  /** The original envelope sender, who receives the report. */
  sender: string;
  failed: readonly RecipientResult[];
  /** Original message; only its header goes into the report (RFC 3462 text/rfc822-headers). */
  original: Buffer;
  arrivalDate: number;
  /** True when the recipients failed because the queue lifetime ran out. */
  expired: boolean;
  date?: Date;
}

/** A delivery status notification (RFC 3464) as a multipart/report message (RFC 6522), CRLF line endings. */
export function buildDsn(input: DsnInput): Buffer {
  const boundary = `dsn-${randomBytes(12).toString('hex')}`;
  const date = input.date ?? new Date();
  const header = originalHeader(input.original);
  const reason = input.expired ? 'could not be delivered in time and was given up' : 'could not be delivered';
  const human = [
    `This is the mail system at ${input.hostname}.`,
    '',
    `Your message ${reason} to the following recipients:`,
    '',
    ...input.failed.map((result) => `  <${result.recipient}>: ${oneLine(result.response)}`),
    '',
  ];
  const perRecipient = input.failed.map((result) => [
    `Final-Recipient: rfc822; ${result.recipient}`,
    'Action: failed',
    `Status: ${input.expired ? '4.4.7' : statusOf(result)}`,
    ...(result.remoteMta ? [`Remote-MTA: dns; ${result.remoteMta}`] : []),
    `Diagnostic-Code: smtp; ${oneLine(result.response)}`,
  ].join('\r\n'));
  const lines = [
    `From: Mail Delivery System <MAILER-DAEMON@${input.hostname}>`,
    `To: <${input.sender}>`,
    'Subject: Undelivered Mail Returned to Sender',
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
    `Reporting-MTA: dns; ${input.hostname}`,
    `Arrival-Date: ${rfc5322Date(new Date(input.arrivalDate))}`,
    '',
    perRecipient.join('\r\n\r\n'),
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
  ];
  return Buffer.concat([
    Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), header, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
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
