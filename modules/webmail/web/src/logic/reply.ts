import type { Attachment, EmailAddress, MessageDetail } from '../api/types.js';
import { formatAddressList, uniqueAddresses } from './addresses.js';

export type ComposeMode = 'new' | 'reply' | 'replyAll' | 'forward' | 'draft';

export interface ComposeDraft {
  mode: ComposeMode;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  body: string;
  inReplyTo: string | null;
  references: string[];
  /** The message answered or forwarded (it gets \Answered when sent). */
  sourceId: string | null;
  /** The saved draft being edited, replaced on save and removed on send. */
  draftId: string | null;
  /** Attachments of the forwarded message or the draft, uploaded again to go with the new one. */
  carried: Attachment[];
}

export const EMPTY_DRAFT: ComposeDraft = {
  mode: 'new',
  to: '',
  cc: '',
  bcc: '',
  subject: '',
  body: '',
  inReplyTo: null,
  references: [],
  sourceId: null,
  draftId: null,
  carried: [],
};

/** `Re: ` / `Fwd: ` once, however many the subject already carries (also the Chinese 回复/转发 forms). */
export function prefixedSubject(subject: string, prefix: 'Re' | 'Fwd'): string {
  const bare = subject.replace(/^\s*((re|fwd?|aw|wg|回复|答复|转发)\s*[:：]\s*)+/i, '');
  return `${prefix}: ${bare}`;
}

export interface QuoteText {
  /** "On {date}, {sender} wrote:" in the interface language. */
  wrote: (date: string, sender: string) => string;
  forwarded: string;
  formatDate: (iso: string) => string;
  labels: { from: string; date: string; subject: string; to: string };
}

function quoted(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => (line.startsWith('>') ? `>${line}` : `> ${line}`))
    .join('\n');
}

/**
 * A reply, reply-all or forward of `message` in plain text. Reply goes to Reply-To (else From); reply-all adds
 * the other To and Cc recipients, never the user. References carry the thread (RFC 5322 §3.6.4).
 */
export function composeFrom(message: MessageDetail, mode: 'reply' | 'replyAll' | 'forward', me: string, text: QuoteText): ComposeDraft {
  const sender = message.from ? formatAddressList([message.from]) : '';
  const body = message.text ?? '';
  if (mode === 'forward') {
    const header = [
      `---------- ${text.forwarded} ----------`,
      `${text.labels.from}: ${sender}`,
      `${text.labels.date}: ${text.formatDate(message.date)}`,
      `${text.labels.subject}: ${message.subject}`,
      `${text.labels.to}: ${formatAddressList(message.to)}`,
    ].join('\n');
    return {
      ...EMPTY_DRAFT,
      mode,
      subject: prefixedSubject(message.subject, 'Fwd'),
      body: `\n\n${header}\n\n${body}`,
      sourceId: message.id,
      carried: message.attachments,
    };
  }
  const replyTo: EmailAddress[] = message.replyTo.length > 0 ? message.replyTo : message.from ? [message.from] : [];
  const to = uniqueAddresses(replyTo, mode === 'replyAll' ? [me] : []);
  const toList = to.length > 0 ? to : replyTo;
  const cc = mode === 'replyAll' ? uniqueAddresses([...message.to, ...message.cc], [me, ...toList.map((a) => a.address)]) : [];
  const references = message.messageId ? [...message.references, message.messageId] : message.references;
  return {
    ...EMPTY_DRAFT,
    mode,
    to: formatAddressList(toList),
    cc: formatAddressList(cc),
    subject: prefixedSubject(message.subject, 'Re'),
    body: `\n\n${text.wrote(text.formatDate(message.date), sender)}\n${quoted(body)}`,
    inReplyTo: message.messageId,
    references,
    sourceId: message.id,
  };
}

/** A saved draft opened again for editing, with its recipients, text and attachments. */
export function editDraft(message: MessageDetail): ComposeDraft {
  return {
    ...EMPTY_DRAFT,
    mode: 'draft',
    to: formatAddressList(message.to),
    cc: formatAddressList(message.cc),
    bcc: formatAddressList(message.bcc),
    subject: message.subject,
    body: message.text ?? '',
    inReplyTo: message.inReplyTo,
    references: message.references,
    draftId: message.id,
    carried: message.attachments,
  };
}
