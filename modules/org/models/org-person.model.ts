import { Field, ObjectType } from '@nestjs/graphql';
import type { Member, Person } from '../repositories/people.repository.js';
import { OrgPrivacy } from './org-enums.js';

@ObjectType('OrgPerson', {
  description: 'A person’s directory entry as administrators see it; in a department listing with their place there',
})
export class OrgPersonModel {
  @Field()
  address: string;

  @Field()
  name: string;

  @Field()
  title: string;

  @Field()
  phone: string;

  @Field()
  mobile: string;

  @Field(() => String, { nullable: true })
  employeeNumber: string | null;

  @Field()
  office: string;

  @Field(() => OrgPrivacy)
  privacy: OrgPrivacy;

  @Field({ description: 'Phone numbers are shown to nobody else in the address list' })
  hidePhone: boolean;

  @Field(() => Boolean, { nullable: true, description: 'In a department listing: this is the person’s primary department' })
  isPrimary: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'In a department listing: the person manages the department' })
  isManager: boolean | null;

  static from(person: Person | Member): OrgPersonModel {
    return Object.assign(new OrgPersonModel(), {
      address: person.address,
      name: person.name,
      title: person.title,
      phone: person.phone,
      mobile: person.mobile,
      employeeNumber: person.employeeNumber,
      office: person.office,
      privacy: person.privacy as OrgPrivacy,
      hidePhone: person.hidePhone,
      isPrimary: 'isPrimary' in person ? person.isPrimary : null,
      isManager: 'isManager' in person ? person.isManager : null,
    });
  }
}
