import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('DeviceSession', { description: 'A signed-in device (a login session)' })
export class DeviceSessionModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Device name given at mobileLogin; empty for other logins' })
  label: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  expiresAt: Date;

  @Field({ description: 'The session making this request' })
  current: boolean;
}
