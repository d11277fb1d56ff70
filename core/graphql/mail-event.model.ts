import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum MailEventType {
  MESSAGE_ADDED = 'MESSAGE_ADDED',
  FLAGS_CHANGED = 'FLAGS_CHANGED',
  MESSAGE_REMOVED = 'MESSAGE_REMOVED',
  MAILBOX_CHANGED = 'MAILBOX_CHANGED',
}

registerEnumType(MailEventType, { name: 'MailEventType' });

@ObjectType('MailEvent', { description: "A change to the subscriber's own mail" })
export class MailEventModel {
  @Field(() => MailEventType)
  type: MailEventType;

  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID, { nullable: true, description: 'The message concerned, for message events' })
  messageId: string | null;
}
