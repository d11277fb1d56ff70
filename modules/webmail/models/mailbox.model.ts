import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Mailbox', { description: 'A folder of the signed-in user' })
export class MailboxModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Last path segment' })
  name: string;

  @Field({ description: 'Full path with "/" as delimiter; the inbox is "INBOX"' })
  path: string;

  @Field(() => ID, { nullable: true })
  parentId: string | null;

  @Field(() => String, { nullable: true, description: 'RFC 6154 special use: \\Drafts, \\Sent, \\Trash, \\Junk, \\Archive' })
  specialUse: string | null;

  @Field(() => Int)
  unreadCount: number;

  @Field(() => Int)
  totalCount: number;

  @Field(() => Float, { description: 'Bytes' })
  size: number;

  @Field()
  subscribed: boolean;
}
