import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminIdentity', { description: 'The signed-in administrator' })
export class AdminIdentityModel {
  @Field()
  address: string;

  @Field({ description: 'domain_admin or system_admin' })
  role: string;

  @Field(() => [String], { description: 'Domains a domain admin administers; empty for a system admin (all domains)' })
  domains: string[];
}

@ObjectType('AdminSession', { description: 'A WebAdmin session; send the token as `Authorization: Bearer <token>`' })
export class AdminSessionModel {
  @Field()
  token: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => AdminIdentityModel)
  admin: AdminIdentityModel;
}
