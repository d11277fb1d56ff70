import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('AppPassword', { description: 'A password for one mail client (IMAP, POP3, SMTP); the secret is shown only at creation' })
export class AppPasswordModel {
  @Field(() => ID)
  id: string;

  @Field()
  label: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When a mail client last signed in with it (to the minute)' })
  lastUsedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The client address of that sign-in' })
  lastAddress: string | null;

  @Field(() => [String], { description: 'The protocols it opens: imap, pop3, smtp' })
  protocols: string[];
}

@ObjectType('CreatedAppPassword')
export class CreatedAppPasswordModel {
  @Field(() => AppPasswordModel)
  appPassword: AppPasswordModel;

  @Field({ description: 'Use as the password in the mail client; it cannot be shown again' })
  secret: string;
}
