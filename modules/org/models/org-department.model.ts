import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Department } from '../repositories/department.repository.js';
import { OrgListPolicy } from './org-enums.js';

@ObjectType('OrgDepartment', { description: 'A department as its administrators see it' })
export class OrgDepartmentModel {
  @Field(() => Int)
  id: number;

  @Field(() => Int, { nullable: true })
  parentId: number | null;

  @Field({ description: 'The domain (organisation) the department belongs to' })
  domain: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  code: string | null;

  @Field(() => Int)
  sortOrder: number;

  @Field()
  description: string;

  @Field(() => Int, { description: 'Depth in the tree: 0 for a top-level department' })
  depth: number;

  @Field(() => String, { nullable: true, description: 'The list address that expands to the members, if any' })
  listAddress: string | null;

  @Field({ description: 'The list includes the members of every sub-department' })
  listRecursive: boolean;

  @Field({ description: 'The list includes only people whose primary department this is' })
  listPrimaryOnly: boolean;

  @Field(() => OrgListPolicy)
  listPolicy: OrgListPolicy;

  static from(department: Department, domain: string): OrgDepartmentModel {
    return Object.assign(new OrgDepartmentModel(), {
      id: department.id,
      parentId: department.parentId,
      domain,
      name: department.name,
      code: department.code,
      sortOrder: department.sortOrder,
      description: department.description,
      depth: department.path.split('/').length - 3,
      listAddress: department.listAddress,
      listRecursive: department.listRecursive,
      listPrimaryOnly: department.listPrimaryOnly,
      listPolicy: department.listPolicy as OrgListPolicy,
    });
  }
}
