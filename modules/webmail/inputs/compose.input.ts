import { Field, ID, InputType } from '@nestjs/graphql';

@InputType('AddressInput')
export class AddressInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field()
  address: string;
}

/** What sendMessage and saveDraft share. */
@InputType('ComposeInput')
export class ComposeInput {
  @Field(() => AddressInput, {
    nullable: true,
    description: 'The sender: the account address or an alias of it (see MailSettings.sendableAddresses); default the account',
  })
  from?: AddressInput | null;

  @Field(() => [AddressInput], { nullable: true })
  to?: AddressInput[] | null;

  @Field(() => [AddressInput], { nullable: true })
  cc?: AddressInput[] | null;

  @Field(() => [AddressInput], { nullable: true })
  bcc?: AddressInput[] | null;

  @Field(() => [AddressInput], { nullable: true })
  replyTo?: AddressInput[] | null;

  @Field(() => String, { nullable: true })
  subject?: string | null;

  @Field(() => String, { nullable: true })
  text?: string | null;

  @Field(() => String, { nullable: true })
  html?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Upload ids from POST /api/webmail/uploads' })
  attachments?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Message-ID being answered, with angle brackets' })
  inReplyTo?: string | null;

  @Field(() => [String], { nullable: true })
  references?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Message answered or forwarded; it gets \\Answered when sent' })
  replyToMessageId?: string | null;
}

@InputType('DraftInput')
export class DraftInput extends ComposeInput {
  @Field(() => ID, { nullable: true, description: 'The draft this one replaces' })
  draftId?: string | null;
}

@InputType('SendMessageInput')
export class SendMessageInput extends ComposeInput {
  @Field(() => ID, { nullable: true, description: 'A saved draft to remove once the message is sent' })
  draftId?: string | null;
}

@InputType('SetFlagsInput')
export class SetFlagsInput {
  @Field(() => [ID])
  ids: string[];

  @Field(() => Boolean, { nullable: true })
  seen?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  flagged?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  answered?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  draft?: boolean | null;

  @Field(() => [String], { nullable: true })
  addKeywords?: string[] | null;

  @Field(() => [String], { nullable: true })
  removeKeywords?: string[] | null;
}
