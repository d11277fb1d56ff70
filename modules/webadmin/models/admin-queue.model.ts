import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminQueuedMessage', { description: 'A message in the outbound queue, for the recipients of one destination domain' })
export class AdminQueuedMessageModel {
  @Field(() => Int)
  id: number;

  @Field({ description: 'Envelope sender; empty for a delivery report' })
  sender: string;

  @Field(() => [String])
  recipients: string[];

  @Field({ description: 'Destination domain' })
  domain: string;

  @Field({ description: 'queued or sending' })
  status: string;

  @Field(() => Int)
  attempts: number;

  @Field(() => Date)
  nextAttemptAt: Date;

  @Field(() => Date, { description: 'When the message is given up and bounced' })
  expiresAt: Date;

  @Field(() => String, { nullable: true, description: 'The last remote reply or local reason' })
  lastError: string | null;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType('AdminQueuedMessageDetail')
export class AdminQueuedMessageDetailModel {
  @Field(() => AdminQueuedMessageModel)
  message: AdminQueuedMessageModel;

  @Field({ description: 'The header block of the message as stored (at most 32 KiB)' })
  headers: string;
}

@InputType('AdminQueueFilter')
export class AdminQueueFilterInput {
  @Field({ nullable: true, description: 'A part of the sender address' })
  sender?: string;

  @Field({ nullable: true, description: 'A part of a recipient address' })
  recipient?: string;

  @Field({ nullable: true, description: 'Only messages that have failed at least once (with a last error)' })
  failing?: boolean;
}

@ObjectType('AdminTraceEvent', { description: 'One step of a message: accepted or refused, delivered, queued, relayed, deferred, bounced' })
export class AdminTraceEventModel {
  @Field(() => Date)
  at: Date;

  @Field({ description: 'delivered, queued, refused, relayed, deferred or bounced' })
  event: string;

  @Field()
  sender: string;

  @Field()
  recipient: string;

  @Field()
  messageId: string;

  @Field()
  subject: string;

  @Field({ description: 'The reason of a refusal, the remote reply, the surface it came in through' })
  detail: string;
}

@InputType('AdminTraceFilter', { description: 'Addresses and Message-ID match exactly, the subject as a prefix' })
export class AdminTraceFilterInput {
  @Field({ nullable: true })
  sender?: string;

  @Field({ nullable: true })
  recipient?: string;

  @Field({ nullable: true })
  messageId?: string;

  @Field({ nullable: true })
  subject?: string;

  @Field(() => Date, { nullable: true })
  from?: Date;

  @Field(() => Date, { nullable: true })
  to?: Date;
}
