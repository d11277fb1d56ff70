import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { AccountsService } from '../accounts/accounts.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { MailError } from '../mail/mail.errors.js';
import { MailboxService } from '../mail/mailbox.service.js';
import { MessageService } from '../mail/message.service.js';
import { SubmissionService } from '../mail/submission.service.js';
import type { MailResult, OutgoingMessage, PluginMail } from './plugin-api.js';

/**
 * The mail services of plugins. Sending goes through SubmissionService as the named account (send rate,
 * `message.send`, the one delivery path); filing through MessageService as IMAP APPEND does.
 */
@Injectable()
export class PluginMailService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageService,
    private readonly submission: SubmissionService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  forPlugin(plugin: string): PluginMail {
    return {
      send: (message) => this.send(plugin, message),
      fileInto: (target) => this.fileInto(target),
    };
  }

  private async send(plugin: string, message: OutgoingMessage): Promise<MailResult> {
    const account = await this.accounts.findUser(message.as);
    if (!account) return { ok: false, reason: `no account ${message.as}` };
    if (!(await this.submission.rateAllowed(account))) return { ok: false, reason: 'the send rate of the account is used up' };
    const route = await this.submission.route(message.to);
    if (!route.ok) return { ok: false, reason: `no such recipient: ${route.address}` };
    const raw = await new MailComposer({
      from: message.from,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: `<${randomBytes(16).toString('hex')}@${this.config.hostname}>`,
      date: new Date(),
      headers: { ...message.headers, 'X-Mailhive-Plugin': plugin },
      disableFileAccess: true,
      disableUrlAccess: true,
    })
      .compile()
      .build();
    const outcome = await this.submission.submit({
      user: account,
      recipients: message.to,
      head: raw,
      size: raw.length,
      delivery: {
        via: 'submission',
        sender: message.envelopeSender ?? '',
        trace: '',
        source: { kind: 'memory', bytes: raw },
        local: route.local,
        remote: route.remote,
      },
    });
    if (outcome.kind === 'refused') return { ok: false, reason: outcome.refusal.text ?? outcome.refusal.reason };
    return { ok: true };
  }

  private async fileInto(target: { address: string; mailbox: string; raw: Buffer; flags?: readonly string[] }): Promise<MailResult> {
    const account = await this.accounts.findUser(target.address);
    if (!account) return { ok: false, reason: `no account ${target.address}` };
    const mailbox = target.mailbox.startsWith('\\')
      ? await this.mailboxes.getBySpecialUse(account.id, target.mailbox as Parameters<MailboxService['getBySpecialUse']>[1])
      : ((await this.mailboxes.find(account.id, target.mailbox)) ?? (await this.mailboxes.create(account.id, target.mailbox)));
    if (!mailbox) return { ok: false, reason: `no ${target.mailbox} folder` };
    try {
      await this.messages.append(
        { accountId: account.id, mailboxId: mailbox.id, flags: target.flags ? [...target.flags] : undefined },
        target.raw,
      );
      return { ok: true };
    } catch (error) {
      if (error instanceof MailError) return { ok: false, reason: error.message };
      throw error;
    }
  }
}
