import { Field, Float, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Account', { description: 'A mail user' })
export class AccountModel {
  @Field(() => ID)
  id: string;

  @Field()
  address: string;

  @Field()
  displayName: string;

  @Field({ description: 'user, domain_admin or system_admin' })
  role: string;

  @Field(() => Float, { description: 'Quota in bytes; 0 = unlimited' })
  quotaBytes: number;

  @Field(() => Float)
  usedBytes: number;
}

@ObjectType('Session', { description: 'A login session; send the token as `Authorization: Bearer <token>`' })
export class SessionModel {
  @Field()
  token: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => AccountModel)
  account: AccountModel;
}
