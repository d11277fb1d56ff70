import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminUser', { description: 'A user as an administrator sees it' })
export class AdminUserModel {
  @Field(() => ID)
  id: string;

  @Field()
  address: string;

  @Field()
  domain: string;

  @Field()
  displayName: string;

  @Field({ description: 'user, domain_admin or system_admin' })
  role: string;

  @Field(() => [String], { description: 'Domains a domain admin administers; empty for other roles' })
  adminDomains: string[];

  @Field(() => Float, { description: 'Quota in bytes; 0 = unlimited' })
  quotaBytes: number;

  @Field(() => Float)
  usedBytes: number;

  @Field()
  disabled: boolean;

  @Field(() => [String], { description: 'Protocols the user may log in with: smtp, imap, pop3, webmail, mobile' })
  protocols: string[];

  @Field(() => Date, { nullable: true, description: 'From this instant every login is refused; null = never' })
  expiresAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field({ description: 'Two-factor sign-in is on (adminResetTwoFactor turns it off)' })
  twoFactorEnabled: boolean;
}

@ObjectType('AdminUserPage', { description: 'One page of the user table' })
export class AdminUserPageModel {
  @Field(() => Int, { description: 'Users that match, over all pages' })
  total: number;

  @Field(() => [AdminUserModel])
  users: AdminUserModel[];
}
