import { Inject, Injectable } from '@nestjs/common';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import type { DeliveryRefusal } from '../../../core/mail/delivery.types.js';
import { MailboxService } from '../../../core/mail/mailbox.service.js';
import { MessageService } from '../../../core/mail/message.service.js';
import { SubmissionService } from '../../../core/mail/submission.service.js';
import type { Account } from '../../../core/accounts/account.js';
import { GraphQLError } from 'graphql';
import type { DraftInput, SendMessageInput } from '../inputs/compose.input.js';
import { ComposeService } from './compose.service.js';
import { MailActionsService } from './mail-actions.service.js';
import { badInput, MAIL_ERROR_CODES, mailCall, notFound } from './mail-api.errors.js';
import { UploadService, type LoadedUpload } from './upload.service.js';
import { UserSettingsService } from './user-settings.service.js';

export interface StoredCopy {
  accountId: number;
  messageId: number;
}

function refused(code: 'REJECTED' | 'TEMPORARY_FAILURE' | 'LIMIT_EXCEEDED', message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/**
 * A refused delivery as GraphQL sees it, as SMTP submission would have answered it: every local recipient over
 * quota is OVERQUOTA (and nothing, not even the remote copies, was sent), a plugin's refusal REJECTED.
 */
function refusalError(refusal: DeliveryRefusal): GraphQLError {
  switch (refusal.reason) {
    case 'mail':
      return refusal.code === 'OVERQUOTA'
        ? new GraphQLError("the recipient's mailbox is full; the message was not sent", { extensions: { code: 'OVERQUOTA' } })
        : new GraphQLError(refusal.text, { extensions: { code: MAIL_ERROR_CODES[refusal.code] } });
    case 'policy':
      return refused('REJECTED', refusal.text ?? 'message refused by policy');
    case 'tempfail':
      return refused('TEMPORARY_FAILURE', refusal.text ?? 'message not accepted now; try again later');
    case 'local-error':
      return refused('TEMPORARY_FAILURE', 'message not accepted now; try again later');
  }
}

/**
 * sendMessage and saveDraft. Sending is SubmissionService's, as for SMTP submission (send rate, recipients,
 * `message.send`, then the one delivery path); this service composes the message and keeps the copy in Sent.
 */
@Injectable()
export class SendService {
  constructor(
    private readonly compose: ComposeService,
    private readonly uploads: UploadService,
    private readonly actions: MailActionsService,
    private readonly messages: MessageService,
    private readonly mailboxes: MailboxService,
    private readonly submission: SubmissionService,
    private readonly settings: UserSettingsService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  /** A From other than the account's own address must be one of its aliases: nobody sends as someone else. */
  private async checkSender(account: Account, input: DraftInput | SendMessageInput): Promise<void> {
    if (!input.from) return;
    const address = input.from.address.trim().toLowerCase();
    if (!(await this.settings.sendableAddresses(account)).includes(address)) {
      throw new GraphQLError('you may send only as your own address or an alias of it', { extensions: { code: 'FORBIDDEN' } });
    }
  }

  async send(account: Account, input: SendMessageInput): Promise<StoredCopy> {
    await this.checkSender(account, input);
    if (!(await this.submission.rateAllowed(account))) throw refused('LIMIT_EXCEEDED', 'sending rate limit reached; try again later');
    const draft = input.draftId ? (await this.actions.ownRows(account, [input.draftId]))[0] : null;
    const answered = input.replyToMessageId ? (await this.actions.ownRows(account, [input.replyToMessageId]))[0] : null;
    const uploads = await this.loadUploads(account, input.attachments);
    const composed = await this.compose.compose(account, input, uploads, this.config.hostname);
    if (composed.recipients.length === 0) throw badInput('at least one recipient is required');
    const route = await this.submission.route(composed.recipients, { envelope: account.address, authenticated: account.address });
    if (!route.ok) throw route.reason === 'policy' ? refused('REJECTED', route.text) : badInput(`no such recipient: ${route.address}`);

    const outcome = await this.submission.submit({
      user: account,
      recipients: composed.recipients,
      head: composed.raw,
      size: composed.raw.length,
      delivery: {
        via: 'graphql',
        sender: account.address,
        trace: '',
        source: { kind: 'memory', bytes: composed.raw },
        local: route.local,
        remote: route.remote,
      },
    });
    if (outcome.kind === 'refused') throw refusalError(outcome.refusal);
    // The message is on its way: the uploads it carries give their quota back before its copy in Sent takes some.
    await this.uploads.consume(uploads);

    const sent = await this.mailboxes.getBySpecialUse(account.id, '\\Sent');
    const copy = sent
      ? await mailCall(() => this.messages.append({ accountId: account.id, mailboxId: sent.id, flags: ['\\Seen'] }, composed.copy))
      : null;
    if (answered) await mailCall(() => this.messages.setFlags(account.id, answered.mailboxId, [answered.uid], 'add', ['\\Answered']));
    if (draft) await mailCall(() => this.messages.expunge(account.id, draft.mailboxId, { uids: [draft.uid], ignoreDeletedFlag: true }));
    return { accountId: account.id, messageId: copy?.messageId ?? 0 };
  }

  private async loadUploads(account: Account, ids: readonly string[] | null | undefined): Promise<LoadedUpload[]> {
    const loaded = await this.uploads.load(account.id, ids ?? []);
    if (loaded.ok) return loaded.uploads;
    if (loaded.reason === 'not_found') throw notFound('upload');
    throw new GraphQLError('the attachments together are larger than a message may be', { extensions: { code: 'TOO_BIG' } });
  }

  async saveDraft(account: Account, input: DraftInput): Promise<StoredCopy> {
    await this.checkSender(account, input);
    const previous = input.draftId ? (await this.actions.ownRows(account, [input.draftId]))[0] : null;
    const uploads = await this.loadUploads(account, input.attachments);
    const composed = await this.compose.compose(account, input, uploads, this.config.hostname);
    const drafts =
      (await this.mailboxes.getBySpecialUse(account.id, '\\Drafts')) ??
      (await mailCall(() => this.mailboxes.create(account.id, 'Drafts', '\\Drafts')));
    const filed = await mailCall(() =>
      this.messages.append({ accountId: account.id, mailboxId: drafts.id, flags: ['\\Draft', '\\Seen'] }, composed.copy),
    );
    if (previous)
      await mailCall(() => this.messages.expunge(account.id, previous.mailboxId, { uids: [previous.uid], ignoreDeletedFlag: true }));
    return { accountId: account.id, messageId: filed.messageId };
  }
}
