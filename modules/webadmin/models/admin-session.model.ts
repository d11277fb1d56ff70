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

@ObjectType('AdminWebSession', {
  description: 'A WebAdmin browser session: the token is in the HttpOnly cookie mailhive_admin_session, never in the response',
})
export class AdminWebSessionModel {
  @Field({ description: 'Value for the X-Admin-CSRF-Token header (also in the readable cookie mailhive_admin_csrf)' })
  csrfToken: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => AdminIdentityModel)
  admin: AdminIdentityModel;
}
