import { createHash } from 'node:crypto';
import { decodeWords } from '../../../core/mime/decoded-text.js';
import type { EnvelopeAddress } from '../../../core/mime/message-analysis.types.js';
import type { AddressModel, MessageModel } from '../models/message.model.js';
import type { MessageDetail } from '../../../core/mail/message-summary.js';

export function toAddresses(list: EnvelopeAddress[] | null | undefined): AddressModel[] {
  const result: AddressModel[] = [];
  for (const item of list ?? []) {
    // Group markers (RFC 3501 §7.4.2) have no host; they carry no address.
    if (item.mailbox === null || item.host === null) continue;
    const name = item.name === null ? '' : decodeWords(item.name).trim();
    result.push({ name: name || null, address: `${item.mailbox}@${item.host}` });
  }
  return result;
}

/** The Message-ID a conversation is keyed on: the first of References, else In-Reply-To, else the message's own. */
export function threadRoot(row: Pick<MessageDetail, 'id' | 'structure' | 'messageIdHeader'>): string {
  return row.structure.references?.[0] || row.structure.inReplyTo || row.messageIdHeader || `<row-${row.id}>`;
}

export function threadIdOf(row: Pick<MessageDetail, 'id' | 'structure' | 'messageIdHeader' | 'accountId'>): string {
  return createHash('sha256')
    .update(`${row.accountId}\0${threadRoot(row)}`)
    .digest('base64url')
    .slice(0, 16);
}

/** "Re: Fwd: Hello" → "hello": the subject a conversation shares. */
export function baseSubject(subject: string): string {
  return subject
    .replace(/^\s*((re|fwd?|aw|wg|sv|vs|antw|tr)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .trim()
    .toLowerCase();
}

export function toMessageModel(row: MessageDetail): MessageModel {
  const envelope = row.structure.envelope;
  const from = toAddresses(envelope.from)[0] ?? null;
  return {
    id: String(row.id),
    mailboxId: String(row.mailboxId),
    subject: row.subject,
    from,
    to: toAddresses(envelope.to),
    cc: toAddresses(envelope.cc),
    bcc: toAddresses(envelope.bcc),
    replyTo: toAddresses(envelope.replyTo),
    date: new Date(row.sentDate),
    receivedAt: new Date(row.internalDate),
    seen: row.seen,
    flagged: row.flagged,
    answered: row.answered,
    draft: row.draft,
    keywords: row.keywords,
    hasAttachments: row.hasAttachments,
    preview: row.preview,
    size: row.size,
    threadId: threadIdOf(row),
    messageId: row.messageIdHeader || null,
    inReplyTo: row.structure.inReplyTo || null,
    references: row.structure.references ?? [],
    row,
    structure: row.structure,
  };
}
