import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Resolver } from '@nestjs/graphql';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import type { Principal } from '../../../core/accounts/principal.js';
import { SetFlagsInput } from '../inputs/compose.input.js';
import { MessageModel } from '../models/message.model.js';
import { MailActionsService } from '../services/mail-actions.service.js';
import { toMessageModel } from '../services/message-presenter.js';
import { ARGUMENT_LIMITS, checkCount } from '../inputs/argument-limits.js';

@Resolver()
@UseGuards(AuthenticatedGuard)
export class MessageActionsResolver {
  constructor(private readonly actions: MailActionsService) {}

  @Mutation(() => [MessageModel], { description: 'Sets (true) or clears (false) flags; omitted flags stay as they are' })
  async setFlags(@CurrentAccount() account: Principal, @Args('input') input: SetFlagsInput): Promise<MessageModel[]> {
    checkCount('addKeywords', input.addKeywords, ARGUMENT_LIMITS.keywordsPerCall);
    checkCount('removeKeywords', input.removeKeywords, ARGUMENT_LIMITS.keywordsPerCall);
    return (await this.actions.setFlags(account, input)).map(toMessageModel);
  }

  @Mutation(() => [MessageModel], { description: 'Moves messages to another mailbox; returns them there (with new ids)' })
  async moveMessages(
    @CurrentAccount() account: Principal,
    @Args('ids', { type: () => [ID] }) ids: string[],
    @Args('mailboxId', { type: () => ID }) mailboxId: string,
  ): Promise<MessageModel[]> {
    return (await this.actions.move(account, ids, mailboxId)).map(toMessageModel);
  }

  @Mutation(() => Int, { description: 'Moves messages to Trash; those already in Trash are deleted for good. Returns how many' })
  deleteMessages(@CurrentAccount() account: Principal, @Args('ids', { type: () => [ID] }) ids: string[]): Promise<number> {
    return this.actions.delete(account, ids);
  }
}
