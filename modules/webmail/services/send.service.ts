import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { EVENT_BUS, type EventBus } from '../../../core/events/event-bus.js';
import { LOGGER } from '../../../core/logging/logger.js';
import { MailboxService } from '../../../core/mail/mailbox.service.js';
import { MessageService, type FileTarget } from '../../../core/mail/message.service.js';
import { RecipientResolver } from '../../../core/mail/recipient-resolver.service.js';
import { OutboundQueueService } from '../../../core/outbound/outbound-queue.service.js';
import { pluginHeaders } from '../../../core/plugin-host/plugin-headers.js';
import { PluginHost } from '../../../core/plugin-host/plugin-host.service.js';
import { SendRateService } from '../../../core/mail/send-rate.service.js';
import type { AccountEntity } from '../../../core/store/entities/account.entity.js';
import { GraphQLError } from 'graphql';
import type { DraftInput, SendMessageInput } from '../inputs/compose.input.js';
import { ComposeService } from './compose.service.js';
import { MailActionsService } from './mail-actions.service.js';
import { badInput, mailCall, notFound } from './mail-api.errors.js';
import { UploadService, type LoadedUpload } from './upload.service.js';

export interface StoredCopy {
  accountId: number;
  messageId: number;
}

function refused(code: 'REJECTED' | 'TEMPORARY_FAILURE' | 'LIMIT_EXCEEDED', message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/**
 * sendMessage and saveDraft. Sending follows the submission path of SMTP: the per-user send rate, the
 * `message.send` plugin hook, recipient resolution (users, aliases, lists), one transaction filing every local
 * copy, the outbound queue for remote recipients, then the copy in Sent.
 */
@Injectable()
export class SendService {
  constructor(
    private readonly compose: ComposeService,
    private readonly uploads: UploadService,
    private readonly actions: MailActionsService,
    private readonly messages: MessageService,
    private readonly mailboxes: MailboxService,
    private readonly recipients: RecipientResolver,
    private readonly queue: OutboundQueueService,
    private readonly plugins: PluginHost,
    @Inject(EVENT_BUS) private readonly events: EventBus,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rate: SendRateService,
  ) {}

  async send(account: AccountEntity, input: SendMessageInput): Promise<StoredCopy> {
    if (!await this.rate.allowed(account.id)) throw refused('LIMIT_EXCEEDED', 'sending rate limit reached; try again later');
    const draft = input.draftId ? (await this.actions.ownRows(account, [input.draftId]))[0] : null;
    const answered = input.replyToMessageId ? (await this.actions.ownRows(account, [input.replyToMessageId]))[0] : null;
    const uploads = await this.loadUploads(account, input.attachments);
    const composed = await this.compose.compose(account, input, uploads, this.config.hostname);
    if (composed.recipients.length === 0) throw badInput('at least one recipient is required');

    const local: FileTarget[] = [];
    const localRecipients: string[] = [];
    const remote = new Set<string>();
    for (const recipient of composed.recipients) {
      const resolution = await this.recipients.resolve(recipient);
      if (resolution.kind === 'invalid' || resolution.kind === 'unknown') throw badInput(`no such recipient: ${recipient}`);
      if (resolution.kind === 'remote') {
        remote.add(resolution.address);
        continue;
      }
      resolution.remote.forEach((address) => remote.add(address));
      for (const target of resolution.accounts) {
        if (local.some((item) => item.accountId === target.id)) continue;
        if (!target.inboxId) continue;
        local.push({ accountId: target.id, mailboxId: target.inboxId });
        localRecipients.push(recipient);
      }
    }

    const { decision, plugin } = await this.plugins.run('message.send', {
      user: account.address, sender: account.address, recipients: composed.recipients, headers: pluginHeaders(composed.raw), size: composed.raw.length,
    });
    if (decision.action === 'reject' || decision.action === 'quarantine') throw refused('REJECTED', decision.text ?? 'message refused by policy');
    if (decision.action === 'tempfail') throw refused('TEMPORARY_FAILURE', decision.text ?? 'message not accepted now; try again later');
    const discard = decision.action === 'discard';
    if (discard) this.logger.info({ account: account.address, plugin }, 'message.send discarded the message');

    const targets = discard ? [] : await this.deliverHooks(account, composed.raw, local, localRecipients);
    const prepared = await mailCall(() => this.messages.prepare(composed.raw));
    if (!discard) {
      // Local copies and queued remote recipients commit together.
      let queued = 0;
      const filed = targets.length > 0 || remote.size > 0
        ? await this.messages.file(prepared, targets, async (manager) => {
          if (remote.size > 0) queued = (await this.queue.insert(manager, { sender: account.address, recipients: [...remote], blob: prepared.blob })).length;
        })
        : [];
      if (queued > 0) this.queue.notify();
      // As SMTP answers 552 when no local copy could be stored: every local recipient over quota and nobody remote.
      if (targets.length > 0 && filed.length === 0 && remote.size === 0) throw new GraphQLError('the recipient\'s mailbox is full', { extensions: { code: 'OVERQUOTA' } });
      if (filed.length > 0) {
        this.events.emit('message.delivered', {
          blobId: prepared.blob.id, sender: account.address,
          deliveries: filed.map((item) => ({
            accountId: item.accountId, mailboxId: item.mailboxId, messageId: item.messageId,
            recipient: localRecipients[local.findIndex((target) => target.accountId === item.accountId)] ?? '',
          })),
        });
      }
    }
    await this.rate.record(account.id);
    // The message is on its way: the uploads it carries give their quota back before its copy in Sent takes some.
    await this.uploads.consume(uploads);

    const sent = await this.mailboxes.getBySpecialUse(account.id, '\\Sent');
    const copy = sent ? await mailCall(() => this.messages.append({ accountId: account.id, mailboxId: sent.id, flags: ['\\Seen'] }, composed.copy)) : null;
    if (answered) await mailCall(() => this.messages.setFlags(account.id, answered.mailboxId, [answered.uid], 'add', ['\\Answered']));
    if (draft) await mailCall(() => this.messages.expunge(account.id, draft.mailboxId, { uids: [draft.uid], ignoreDeletedFlag: true }));
    return { accountId: account.id, messageId: copy?.messageId ?? 0 };
  }

  /**
   * The `message.deliver` hook per local recipient, as for SMTP delivery: `quarantine` files into Junk, `discard`
   * and `reject` leave the recipient out, `tempfail` refuses the whole message before anything is filed.
   */
  private async deliverHooks(account: AccountEntity, raw: Buffer, local: readonly FileTarget[], recipients: readonly string[]): Promise<FileTarget[]> {
    if (!this.plugins.has('message.deliver')) return [...local];
    const headers = pluginHeaders(raw);
    const targets: FileTarget[] = [];
    for (const [index, target] of local.entries()) {
      const { decision } = await this.plugins.run('message.deliver', { sender: account.address, recipient: recipients[index], headers, size: raw.length, raw });
      if (decision.action === 'tempfail') throw refused('TEMPORARY_FAILURE', decision.text ?? 'message not accepted now; try again later');
      if (decision.action === 'discard' || decision.action === 'reject') continue;
      const junk = decision.action === 'quarantine' ? await this.mailboxes.getBySpecialUse(target.accountId, '\\Junk') : null;
      targets.push(junk ? { ...target, mailboxId: junk.id } : target);
    }
    return targets;
  }

  private async loadUploads(account: AccountEntity, ids: readonly string[] | null | undefined): Promise<LoadedUpload[]> {
    const loaded = await this.uploads.load(account.id, ids ?? []);
    if (loaded.ok) return loaded.uploads;
    if (loaded.reason === 'not_found') throw notFound('upload');
    throw new GraphQLError('the attachments together are larger than a message may be', { extensions: { code: 'TOO_BIG' } });
  }

  async saveDraft(account: AccountEntity, input: DraftInput): Promise<StoredCopy> {
    const previous = input.draftId ? (await this.actions.ownRows(account, [input.draftId]))[0] : null;
    const uploads = await this.loadUploads(account, input.attachments);
    const composed = await this.compose.compose(account, input, uploads, this.config.hostname);
    const drafts = await this.mailboxes.getBySpecialUse(account.id, '\\Drafts') ?? await mailCall(() => this.mailboxes.create(account.id, 'Drafts', '\\Drafts'));
    const filed = await mailCall(() => this.messages.append({ accountId: account.id, mailboxId: drafts.id, flags: ['\\Draft', '\\Seen'] }, composed.copy));
    if (previous) await mailCall(() => this.messages.expunge(account.id, previous.mailboxId, { uids: [previous.uid], ignoreDeletedFlag: true }));
    return { accountId: account.id, messageId: filed.messageId };
  }
}
