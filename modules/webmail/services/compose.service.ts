import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseAddress } from '../../../core/envelope/address.js';
import type { Account } from '../../../core/accounts/account.js';
import type { AddressInput, ComposeInput } from '../inputs/compose.input.js';
import { badInput } from './mail-api.errors.js';
import type { PendingUpload } from '../../../core/mail/pending-upload.js';

export interface ComposedMessage {
  /** Without a Bcc header: what recipients receive. */
  raw: Buffer;
  /** With the Bcc header: the sender's own copy (Sent, Drafts). */
  copy: Buffer;
  messageId: string;
  /** Normalised envelope recipients (to, cc, bcc), duplicates removed. */
  recipients: string[];
}

const MAX_RECIPIENTS = 100;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

function addresses(list: readonly AddressInput[] | null | undefined): { name: string; address: string }[] {
  return (list ?? []).map((item) => {
    const parsed = parseAddress(item.address.trim());
    if (!parsed) throw badInput(`"${item.address}" is not an email address`);
    // Control characters in a display name would let a client inject header lines.
    return { name: (item.name ?? '').replace(/[\r\n\0]/g, ' ').trim(), address: parsed.normalized };
  });
}

/** Builds the RFC 5322 message of sendMessage and saveDraft with nodemailer's MailComposer. */
@Injectable()
export class ComposeService {
  async compose(
    account: Account,
    input: ComposeInput,
    uploads: readonly (PendingUpload & { content: Buffer })[],
    hostname: string,
  ): Promise<ComposedMessage> {
    const to = addresses(input.to);
    const cc = addresses(input.cc);
    const bcc = addresses(input.bcc);
    const replyTo = addresses(input.replyTo);
    // Which addresses the account may send as is the caller's to check (SendService); here only the form.
    const chosen = input.from ? addresses([input.from])[0] : null;
    const from = { name: chosen?.name || account.displayName, address: chosen?.address ?? account.address };
    const recipients = [...new Set([...to, ...cc, ...bcc].map((item) => item.address))];
    if (recipients.length > MAX_RECIPIENTS) throw badInput(`at most ${MAX_RECIPIENTS} recipients`);
    const inReplyTo = input.inReplyTo?.trim() || undefined;
    const references = (input.references ?? []).map((id) => id.trim()).filter((id) => id !== '');
    for (const id of [...references, ...(inReplyTo ? [inReplyTo] : [])]) {
      if (!MESSAGE_ID.test(id)) throw badInput(`"${id}" is not a message id like <id@host>`);
    }
    if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
    const messageId = `<${randomBytes(16).toString('hex')}@${hostname}>`;
    const date = new Date();
    const build = (keepBcc: boolean): Promise<Buffer> => {
      const node = new MailComposer({
        from,
        to,
        cc,
        bcc,
        replyTo: replyTo.length > 0 ? replyTo : undefined,
        subject: input.subject ?? '',
        messageId,
        date,
        inReplyTo,
        references: references.length > 0 ? references : undefined,
        text: input.text ?? (input.html ? undefined : ''),
        html: input.html ?? undefined,
        attachments: uploads.map((upload) => ({
          filename: upload.filename || 'attachment',
          content: upload.content,
          contentType: upload.contentType || 'application/octet-stream',
        })),
        // Only what the caller gave is put in the message: no file or URL is ever read.
        disableFileAccess: true,
        disableUrlAccess: true,
      }).compile();
      node.keepBcc = keepBcc;
      return node.build();
    };
    return { raw: await build(false), copy: await build(true), messageId, recipients };
  }
}
