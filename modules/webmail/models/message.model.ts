import { Extensions, Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { StoredStructure } from '../../../core/mime/message-analysis.types.js';
import type { MessageDetail } from '../../../core/mail/message-summary.js';

export enum MessageSort {
  DATE_DESC = 'DATE_DESC',
  DATE_ASC = 'DATE_ASC',
  ARRIVAL_DESC = 'ARRIVAL_DESC',
  ARRIVAL_ASC = 'ARRIVAL_ASC',
}

registerEnumType(MessageSort, { name: 'MessageSort', description: 'DATE_* by the Date header, ARRIVAL_* by delivery order' });

@ObjectType('EmailAddress')
export class AddressModel {
  @Field(() => String, { nullable: true })
  name: string | null;

  @Field()
  address: string;
}

@ObjectType('Header', { description: 'One header field, decoded' })
export class HeaderModel {
  @Field()
  name: string;

  @Field()
  value: string;
}

@ObjectType('Attachment')
export class AttachmentModel {
  @Field(() => ID, { description: 'messageId:part' })
  id: string;

  @Field(() => String, { nullable: true })
  filename: string | null;

  @Field()
  contentType: string;

  @Field(() => Int, { description: 'Decoded size in bytes (estimated from the encoded size)' })
  size: number;

  @Field(() => String, { nullable: true, description: 'Content-ID without angle brackets, for cid: references' })
  contentId: string | null;

  @Field({ description: 'Download URL (GET with the same bearer token)' })
  url: string;
}

/**
 * What the body fields (resolved in MessageResolver) cost the query limits: each reads the stored message and
 * parses it; `html` also sanitises it, `text` may convert HTML. At this cost the limits refuse asking for one of
 * them more than a few times in one operation (aliases and list items count).
 */
export const MESSAGE_FIELD_COSTS = { html: 100, text: 40, headers: 20 };

@ObjectType('Message')
@Extensions({ fieldCosts: MESSAGE_FIELD_COSTS })
export class MessageModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  mailboxId: string;

  @Field()
  subject: string;

  @Field(() => AddressModel, { nullable: true })
  from: AddressModel | null;

  @Field(() => [AddressModel])
  to: AddressModel[];

  @Field(() => [AddressModel])
  cc: AddressModel[];

  @Field(() => [AddressModel])
  bcc: AddressModel[];

  @Field(() => [AddressModel])
  replyTo: AddressModel[];

  @Field(() => Date, { description: 'Date header, or the arrival time when absent' })
  date: Date;

  @Field(() => Date)
  receivedAt: Date;

  @Field()
  seen: boolean;

  @Field()
  flagged: boolean;

  @Field()
  answered: boolean;

  @Field()
  draft: boolean;

  @Field(() => [String])
  keywords: string[];

  @Field()
  hasAttachments: boolean;

  @Field()
  preview: string;

  @Field(() => Int)
  size: number;

  @Field(() => ID, { description: 'Same for every message of a conversation (from References/In-Reply-To)' })
  threadId: string;

  @Field(() => String, { nullable: true, description: 'Message-ID header' })
  messageId: string | null;

  @Field(() => String, { nullable: true })
  inReplyTo: string | null;

  @Field(() => [String])
  references: string[];

  /** The stored row behind this message, for field resolvers; not part of the schema. */
  row: MessageDetail;

  structure: StoredStructure;
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType('MessageConnection')
export class MessageConnectionModel {
  @Field(() => [MessageModel])
  nodes: MessageModel[];

  @Field(() => PageInfoModel)
  pageInfo: PageInfoModel;

  @Field(() => Int, { description: 'Messages matching the query in the mailbox' })
  totalCount: number;
}
