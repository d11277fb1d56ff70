import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminDomain', { description: 'A hosted domain as an administrator sees it' })
export class AdminDomainModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => Int)
  users: number;

  @Field(() => String, { nullable: true, description: 'Address that receives mail for unknown local parts' })
  catchAll: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field({ description: "The domain's users must sign in with a second factor" })
  requireTwoFactor: boolean;
}
