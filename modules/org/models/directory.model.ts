import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Department } from '../repositories/department.repository.js';
import type { DirectoryEntry } from '../services/directory.service.js';

@ObjectType('DirectoryDepartment', { description: 'A department in the address list' })
export class DirectoryDepartmentModel {
  @Field(() => Int)
  id: number;

  @Field(() => Int, { nullable: true })
  parentId: number | null;

  @Field()
  name: string;

  @Field(() => String, { nullable: true, description: 'Mail to this address reaches the department' })
  listAddress: string | null;

  static from(department: Department): DirectoryDepartmentModel {
    return Object.assign(new DirectoryDepartmentModel(), {
      id: department.id,
      parentId: department.parentId,
      name: department.name,
      listAddress: department.listAddress,
    });
  }
}

@ObjectType('DirectoryPerson', { description: 'A person in the address list, as far as their privacy settings let the asker see' })
export class DirectoryPersonModel {
  @Field()
  address: string;

  @Field()
  name: string;

  @Field()
  title: string;

  @Field({ description: 'Empty when the person hides phone numbers' })
  phone: string;

  @Field({ description: 'Empty when the person hides phone numbers' })
  mobile: string;

  @Field()
  office: string;

  @Field(() => Boolean, { nullable: true, description: 'In a department listing: the person manages the department' })
  isManager: boolean | null;

  static from(entry: DirectoryEntry): DirectoryPersonModel {
    return Object.assign(new DirectoryPersonModel(), {
      address: entry.address,
      name: entry.name,
      title: entry.title,
      phone: entry.phone,
      mobile: entry.mobile,
      office: entry.office,
      isManager: entry.isManager ?? null,
    });
  }
}
