import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminEnvironmentSetting', { description: 'A setting of the environment or config file: read-only here, secrets masked' })
export class AdminEnvironmentSettingModel {
  @Field()
  variable: string;

  @Field()
  value: string;
}

@ObjectType('AdminSettings', {
  description: 'Settings changed at run time (kept in the database, applied without restart) and the environment',
})
export class AdminSettingsModel {
  @Field()
  hostname: string;

  @Field(() => Int, { description: 'Messages per user per hour (MAILHIVE_SMTP_SEND_RATE_LIMIT unless set here)' })
  smtpSendRateLimit: number;

  @Field(() => Int, { description: 'Milliseconds before the SMTP greeting (MAILHIVE_SMTP_GREETING_PAUSE_MS unless set here)' })
  smtpGreetingPauseMs: number;

  @Field({ description: 'Text after `220 <host> ESMTP` in the SMTP greeting' })
  smtpBanner: string;

  @Field(() => [String], { description: 'The run-time settings set in the database; the others have their configured value' })
  overridden: string[];

  @Field(() => [AdminEnvironmentSettingModel])
  environment: AdminEnvironmentSettingModel[];
}

@InputType('AdminSettingsInput', { description: 'Fields left out stay as they are; names in reset go back to their configured value' })
export class AdminSettingsInput {
  @Field({ nullable: true })
  hostname?: string;

  @Field(() => Int, { nullable: true })
  smtpSendRateLimit?: number;

  @Field(() => Int, { nullable: true })
  smtpGreetingPauseMs?: number;

  @Field({ nullable: true })
  smtpBanner?: string;

  @Field(() => [String], { nullable: true })
  reset?: string[];
}
