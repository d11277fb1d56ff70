import { Module, type DynamicModule } from '@nestjs/common';
import { OutboundModule } from '../../core/outbound/outbound.module.js';
import { WebmailHttpController } from './http/webmail-http.controller.js';
import { MessageQueryRepository } from './repositories/message-query.repository.js';
import { UploadRepository } from './repositories/upload.repository.js';
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
import { UploadService } from './services/upload.service.js';
import { DEFAULT_WEBMAIL_OPTIONS, WEBMAIL_OPTIONS, type WebmailOptions } from './webmail.options.js';

/** The user-facing GraphQL mail API (mailboxes, messages, search, actions, compose) and its HTTP endpoints. */
@Module({})
export class WebmailModule {
  static register(options: Partial<WebmailOptions> = {}): DynamicModule {
    return {
      module: WebmailModule,
      imports: [OutboundModule],
      controllers: [WebmailHttpController],
      providers: [
        { provide: WEBMAIL_OPTIONS, useValue: { ...DEFAULT_WEBMAIL_OPTIONS, ...options } },
        MessageQueryRepository, UploadRepository,
        MessageListService, MessageContentService, HtmlRenderService, MailActionsService, UploadService, ComposeService, SendService,
        MailboxResolver, MessageResolver, MessageConnectionResolver, MessageActionsResolver, AppPasswordResolver,
        ComposeResolver,
      ],
    };
  }
}
