import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import type { Principal } from '../../../core/accounts/principal.js';
import { AttachmentModel, HeaderModel, MessageConnectionModel, MessageModel, MessageSort } from '../models/message.model.js';
import { MessageContentService } from '../services/message-content.service.js';
import { MessageListService, type MessageConnection } from '../services/message-list.service.js';

@Resolver(() => MessageModel)
@UseGuards(AuthenticatedGuard)
export class MessageResolver {
  constructor(
    private readonly list: MessageListService,
    private readonly content: MessageContentService,
  ) {}

  @Query(() => MessageConnectionModel, { description: 'One page of a mailbox, newest first by default; `query` is a search string' })
  messages(
    @CurrentAccount() account: Principal,
    @Args('mailboxId', { type: () => ID }) mailboxId: string,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, default 50' }) first?: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'pageInfo.endCursor of the previous page' }) after?: string | null,
    @Args('query', {
      type: () => String,
      nullable: true,
      description: 'from: to: cc: subject: has:attachment is:unread|read|flagged|answered before:/after:YYYY-MM-DD, free text, -term',
    })
    query?: string | null,
    @Args('sort', { type: () => MessageSort, nullable: true }) sort?: MessageSort | null,
  ): Promise<MessageConnection> {
    return this.list.page(account, mailboxId, { first, after, query, sort });
  }

  @Query(() => MessageModel, { nullable: true, description: 'A message of the signed-in user; null for any other id' })
  message(@CurrentAccount() account: Principal, @Args('id', { type: () => ID }) id: string): Promise<MessageModel | null> {
    return this.list.message(account, id);
  }

  @ResolveField(() => [HeaderModel])
  headers(@Parent() message: MessageModel): Promise<HeaderModel[]> {
    return this.content.headers(message);
  }

  @ResolveField(() => String, { nullable: true, description: 'The plain text body (from the HTML body when there is no plain one)' })
  text(@Parent() message: MessageModel): Promise<string | null> {
    return this.content.text(message);
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'The HTML body, sanitised; remote images are replaced unless allowRemoteImages',
  })
  html(
    @Parent() message: MessageModel,
    @Args('allowRemoteImages', { type: () => Boolean, defaultValue: false }) allowRemoteImages: boolean,
  ): Promise<string | null> {
    return this.content.html(message, allowRemoteImages);
  }

  @ResolveField(() => [AttachmentModel])
  attachments(@Parent() message: MessageModel): AttachmentModel[] {
    return this.content.attachments(message);
  }

  @ResolveField(() => [MessageModel], { description: 'The conversation, oldest first (this message included)' })
  thread(@Parent() message: MessageModel): Promise<MessageModel[]> {
    return this.list.thread(message);
  }
}

@Resolver(() => MessageConnectionModel)
export class MessageConnectionResolver {
  constructor(private readonly list: MessageListService) {}

  @ResolveField(() => Int)
  totalCount(@Parent() connection: MessageConnection): Promise<number> {
    return this.list.totalCount(connection.count);
  }
}
