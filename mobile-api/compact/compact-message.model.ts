import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

/** Bits of CompactMessage.flags. */
export const COMPACT_FLAGS = { seen: 1, flagged: 2, answered: 4, draft: 8, attachment: 16 } as const;

@ObjectType('CompactMessage', {
  description: 'A list entry for slow networks: scalars only, flags as bits (1 seen, 2 flagged, 4 answered, 8 draft, 16 attachment)',
})
export class CompactMessageModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  mailboxId: string;

  @Field()
  subject: string;

  @Field({ description: 'Decoded first From address, "Name <addr>" or "addr"' })
  from: string;

  @Field(() => Float, { description: 'Date header in ms since the epoch' })
  date: number;

  @Field(() => Int)
  flags: number;

  @Field({ description: 'At most 100 characters' })
  preview: string;

  @Field(() => Int)
  size: number;
}

@ObjectType('CompactMessagePage')
export class CompactMessagePageModel {
  @Field(() => [CompactMessageModel])
  items: CompactMessageModel[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next (older) page; null at the end' })
  next: string | null;
}
