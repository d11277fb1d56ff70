import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Principal } from '../../core/accounts/principal.js';
import { AuthenticatedGuard, CurrentAccount } from '../../core/graphql/authenticated.guard.js';
import { MessageService } from '../../core/mail/message.service.js';
import { partText } from '../../core/mime/decoded-text.js';
import { MessageTextModel } from './message-text.model.js';
import { readablePart } from './readable-part.js';

const MAX_BYTES = 1024 * 1024;

@Resolver()
@UseGuards(AuthenticatedGuard)
export class MessageTextResolver {
  constructor(private readonly messages: MessageService) {}

  @Query(() => MessageTextModel, { description: "One of the caller's messages as plain text, at most maxBytes (1 to 1048576) of it" })
  async messageText(
    @CurrentAccount() account: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('maxBytes', { type: () => Int, defaultValue: 64 * 1024 }) maxBytes: number,
  ): Promise<MessageTextModel> {
    if (maxBytes < 1 || maxBytes > MAX_BYTES)
      throw new GraphQLError(`maxBytes must be between 1 and ${MAX_BYTES}`, { extensions: { code: 'BAD_USER_INPUT' } });
    const numeric = /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
    // Someone else's message and one that does not exist get the same answer.
    const message = numeric === null ? null : await this.messages.getById(account.id, numeric);
    if (!message) throw new GraphQLError('message not found', { extensions: { code: 'NOT_FOUND' } });
    const part = readablePart(message.structure.root);
    if (!part) return { id, text: '', truncated: false };
    const raw = await this.messages.readRaw(message.blobId);
    const text = partText(raw, part, maxBytes);
    return { id, text, truncated: part.bodyEnd - part.bodyStart > maxBytes };
  }
}
