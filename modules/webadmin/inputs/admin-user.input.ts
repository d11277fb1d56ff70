import { Field, Float, InputType, registerEnumType } from '@nestjs/graphql';

export enum AdminUserSort {
  ADDRESS = 'address',
  NAME = 'displayName',
  CREATED = 'createdAt',
  USED = 'usedBytes',
}
registerEnumType(AdminUserSort, { name: 'AdminUserSort', description: 'Columns the user table sorts on (each indexed)' });

@InputType('AdminUserCreateInput')
export class AdminUserCreateInput {
  @Field()
  address: string;

  @Field()
  password: string;

  @Field({ nullable: true })
  displayName?: string;

  @Field(() => Float, { nullable: true, description: 'Bytes; 0 = unlimited; default: MAILHIVE_DEFAULT_QUOTA' })
  quotaBytes?: number;

  @Field({ nullable: true, description: 'user (default), domain_admin or system_admin' })
  role?: string;

  @Field(() => [String], { nullable: true, description: 'With role domain_admin: the domains it administers' })
  adminDomains?: string[];

  @Field(() => [String], { nullable: true, description: 'Default: every protocol' })
  protocols?: string[];

  @Field(() => Date, { nullable: true })
  expiresAt?: Date;
}

@InputType('AdminUserUpdateInput', { description: 'Fields left out stay as they are' })
export class AdminUserUpdateInput {
  @Field({ nullable: true })
  displayName?: string;

  @Field(() => Float, { nullable: true })
  quotaBytes?: number;

  @Field({ nullable: true })
  role?: string;

  @Field(() => [String], { nullable: true })
  adminDomains?: string[];

  @Field({ nullable: true })
  disabled?: boolean;

  @Field(() => [String], { nullable: true })
  protocols?: string[];

  @Field(() => Date, { nullable: true, description: 'An instant from which logins are refused' })
  expiresAt?: Date;

  @Field({ nullable: true, description: 'true removes the expiry date' })
  neverExpires?: boolean;
}

@InputType('AuditFilterInput')
export class AuditFilterInput {
  @Field({ nullable: true })
  actor?: string;

  @Field({ nullable: true, description: 'An action (user.update) or a group (user)' })
  action?: string;

  @Field({ nullable: true })
  target?: string;

  @Field(() => Date, { nullable: true })
  from?: Date;

  @Field(() => Date, { nullable: true })
  to?: Date;
}
