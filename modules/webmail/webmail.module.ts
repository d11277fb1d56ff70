import { Module, type DynamicModule } from '@nestjs/common';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../core/config/config.token.js';
import { DeliveryModule } from '../../core/mail/delivery.module.js';
import { ClientSetupController } from './client-setup/client-setup.controller.js';
import { WebmailHttpController } from './http/webmail-http.controller.js';
import { AppPasswordResolver } from './resolvers/app-password.resolver.js';
import { ComposeResolver } from './resolvers/compose.resolver.js';
import { MailboxResolver } from './resolvers/mailbox.resolver.js';
import { MessageActionsResolver } from './resolvers/message-actions.resolver.js';
import { MessageConnectionResolver, MessageResolver } from './resolvers/message.resolver.js';
import { ComposeService } from './services/compose.service.js';
import { HtmlRenderService } from './services/html-render.service.js';
import { MailActionsService } from './services/mail-actions.service.js';
import { MessageContentService } from './services/message-content.service.js';
import { MessageListService } from './services/message-list.service.js';
import { SendService } from './services/send.service.js';
import { UploadPurgeService } from './services/upload-purge.service.js';
import { UploadService } from './services/upload.service.js';
import { UserSettingsService } from './services/user-settings.service.js';
import { UserSettingsRepository } from './repositories/user-settings.repository.js';
import { UserSettingsResolver } from './resolvers/user-settings.resolver.js';
import { DEFAULT_WEBMAIL_OPTIONS, WEBMAIL_OPTIONS, type WebmailOptions } from './webmail.options.js';

/** The limits an operator sets. Expired uploads are looked for a few times per lifetime, at most every 10 minutes. */
function fromConfig(config: MailhiveConfig): Partial<WebmailOptions> {
  const lifetimeMs = config.webmailUploadLifetimeSeconds * 1000;
  return {
    uploadMaxCount: config.webmailUploadMaxCount,
    uploadMaxTotalBytes: config.webmailUploadMaxTotal,
    uploadLifetimeMs: lifetimeMs,
    uploadPurgeIntervalMs: Math.max(1000, Math.min(DEFAULT_WEBMAIL_OPTIONS.uploadPurgeIntervalMs, Math.floor(lifetimeMs / 4))),
  };
}

/** The user-facing GraphQL mail API (mailboxes, messages, search, actions, compose) and its HTTP endpoints. */
@Module({})
export class WebmailModule {
  static register(options: Partial<WebmailOptions> = {}): DynamicModule {
    return {
      module: WebmailModule,
      imports: [DeliveryModule],
      controllers: [WebmailHttpController, ClientSetupController],
      providers: [
        {
          provide: WEBMAIL_OPTIONS,
          inject: [MAILHIVE_CONFIG],
          useFactory: (config: MailhiveConfig): WebmailOptions => ({ ...DEFAULT_WEBMAIL_OPTIONS, ...fromConfig(config), ...options }),
        },
        MessageListService,
        MessageContentService,
        HtmlRenderService,
        MailActionsService,
        UploadService,
        UploadPurgeService,
        ComposeService,
        SendService,
        MailboxResolver,
        MessageResolver,
        MessageConnectionResolver,
        MessageActionsResolver,
        AppPasswordResolver,
        ComposeResolver,
        UserSettingsRepository,
        UserSettingsService,
        UserSettingsResolver,
      ],
    };
  }
}
