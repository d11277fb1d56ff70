import { registerEnumType } from '@nestjs/graphql';

export enum OrgPrivacy {
  HIDDEN = 'hidden',
  DEPARTMENT = 'department',
  ORGANISATION = 'organisation',
  EVERYONE = 'everyone',
}
registerEnumType(OrgPrivacy, {
  name: 'OrgPrivacy',
  description:
    'Who finds a person in the address list: nobody else, people of their departments, their organisation (domain), or every signed-in user',
});

export enum OrgListPolicy {
  ANYONE = 'anyone',
  ORGANISATION = 'organisation',
  MEMBERS = 'members',
  SENDERS = 'senders',
}
registerEnumType(OrgListPolicy, {
  name: 'OrgListPolicy',
  description:
    'Who may send to a department list: anyone; authenticated users of the organisation; members of the list; named senders and the department managers',
});
