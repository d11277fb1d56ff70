import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import type { Account } from '../../../core/accounts/account.js';
import { DraftInput, SendMessageInput } from '../inputs/compose.input.js';
import { MessageModel } from '../models/message.model.js';
import { MessageListService } from '../services/message-list.service.js';
import { notFound } from '../services/mail-api.errors.js';
import { SendService } from '../services/send.service.js';
import { checkComposeInput } from '../inputs/argument-limits.js';

@Resolver()
@UseGuards(AuthenticatedGuard)
export class ComposeResolver {
  constructor(
    private readonly sender: SendService,
    private readonly list: MessageListService,
  ) {}

  @Mutation(() => MessageModel, { description: 'Sends a message; returns the copy saved in Sent' })
  async sendMessage(@CurrentAccount() account: Account, @Args('input') input: SendMessageInput): Promise<MessageModel> {
    checkComposeInput(input);
    const stored = await this.sender.send(account, input);
    const copy = await this.list.message(account, String(stored.messageId));
    if (!copy) throw notFound('message');
    return copy;
  }

  @Mutation(() => MessageModel, { description: 'Saves a draft in Drafts (replacing draftId); returns it' })
  async saveDraft(@CurrentAccount() account: Account, @Args('input') input: DraftInput): Promise<MessageModel> {
    checkComposeInput(input);
    const stored = await this.sender.saveDraft(account, input);
    const draft = await this.list.message(account, String(stored.messageId));
    if (!draft) throw notFound('message');
    return draft;
  }
}
