import { Field, InputType, Int } from '@nestjs/graphql';
import { OrgListPolicy, OrgPrivacy } from '../models/org-enums.js';

@InputType('OrgDepartmentInput', { description: 'A new department: under parentId, or at the top of a domain' })
export class OrgDepartmentInput {
  @Field(() => String, { nullable: true, description: 'The domain of a top-level department (without parentId)' })
  domain?: string | null;

  @Field(() => Int, { nullable: true })
  parentId?: number | null;

  @Field()
  name: string;

  @Field(() => String, { nullable: true, description: 'A unique code, e.g. from the HR system' })
  code?: string | null;

  @Field(() => Int, { nullable: true })
  sortOrder?: number | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('OrgDepartmentUpdateInput', { description: 'Fields left out stay as they are' })
export class OrgDepartmentUpdateInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => Int, { nullable: true })
  sortOrder?: number | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('OrgPersonInput', { description: 'A person’s directory entry; fields left out stay as they are' })
export class OrgPersonInput {
  @Field({ description: 'The user’s address (the account must exist)' })
  address: string;

  @Field(() => String, { nullable: true, description: 'Default: the account’s display name' })
  name?: string | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  mobile?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique; imports find people by it' })
  employeeNumber?: string | null;

  @Field(() => String, { nullable: true })
  office?: string | null;

  @Field(() => OrgPrivacy, { nullable: true, description: 'Default: ORGANISATION' })
  privacy?: OrgPrivacy | null;

  @Field(() => Boolean, { nullable: true })
  hidePhone?: boolean | null;
}

@InputType('OrgPlacementInput', { description: 'A person placed in a department' })
export class OrgPlacementInput {
  @Field()
  address: string;

  @Field(() => Int)
  departmentId: number;

  @Field({ defaultValue: false, description: 'Make this the person’s primary department (their first placement always is)' })
  primary: boolean;

  @Field({ defaultValue: false })
  manager: boolean;
}

@InputType('OrgListInput', { description: 'A department list: its address (null: no list), its members and who may send to it' })
export class OrgListInput {
  @Field(() => String, { nullable: true })
  address: string | null;

  @Field({ defaultValue: false, description: 'Include the members of every sub-department' })
  recursive: boolean;

  @Field({ defaultValue: false, description: 'Only people whose primary department it is' })
  primaryOnly: boolean;

  @Field(() => OrgListPolicy, { defaultValue: OrgListPolicy.ANYONE })
  policy: OrgListPolicy;

  @Field(() => [String], { defaultValue: [], description: 'With policy SENDERS: who may send besides the managers' })
  senders: string[];
}
