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

  @Field(() => Date, { description: 'When the session was last used (to the minute)' })
  lastSeenAt: Date;

  @Field({ description: 'The client address it signed in from' })
  address: string;

  @Field({ description: 'The browser or app it signed in with (its User-Agent); empty when unknown' })
  userAgent: string;

  @Field({ description: 'The session making this request' })
  current: boolean;
}
