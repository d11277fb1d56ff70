import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ListDensityValue {
  COMFORTABLE = 'comfortable',
  COMPACT = 'compact',
}
registerEnumType(ListDensityValue, { name: 'ListDensity', description: 'How tightly the message list is set' });

export enum ReadingPaneValue {
  RIGHT = 'right',
  OFF = 'off',
}
registerEnumType(ReadingPaneValue, {
  name: 'ReadingPaneLayout',
  description: 'RIGHT: the message beside the list (wide screens); OFF: the message takes the place of the list',
});

@ObjectType('Signature')
export class SignatureModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'Plain text, added below the message' })
  text: string;
}

@ObjectType('SendingIdentity', { description: 'An address the user sends as: their own or an alias of it' })
export class SendingIdentityModel {
  @Field()
  address: string;

  @Field({ description: 'The name in From; empty: the account display name' })
  name: string;

  @Field(() => ID, { nullable: true })
  signatureId: string | null;
}

@ObjectType('MailSettings', { description: "The signed-in user's webmail settings" })
export class MailSettingsModel {
  @Field(() => String, { nullable: true, description: 'en or zh-CN; null: the browser language' })
  language: string | null;

  @Field(() => String, { nullable: true, description: "IANA time zone; null: the browser's" })
  timeZone: string | null;

  @Field(() => ListDensityValue)
  density: ListDensityValue;

  @Field(() => ReadingPaneValue)
  readingPane: ReadingPaneValue;

  @Field({ description: 'Whether the list groups messages into conversations (References/In-Reply-To, then subject)' })
  conversationView: boolean;

  @Field(() => [SignatureModel])
  signatures: SignatureModel[];

  @Field(() => [SendingIdentityModel])
  identities: SendingIdentityModel[];

  @Field(() => [String], { description: 'Every address the user may send as: their own, then aliases that point only to them' })
  sendableAddresses: string[];
}

@InputType('SignatureInput')
export class SignatureInput {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  text: string;
}

@InputType('SendingIdentityInput')
export class SendingIdentityInput {
  @Field()
  address: string;

  @Field({ defaultValue: '' })
  name: string;

  @Field(() => ID, { nullable: true })
  signatureId?: string | null;
}

@InputType('MailSettingsInput', { description: 'Only the fields given change; language and timeZone take null for "the browser\'s"' })
export class MailSettingsInput {
  @Field(() => String, { nullable: true })
  language?: string | null;

  @Field(() => String, { nullable: true })
  timeZone?: string | null;

  @Field(() => ListDensityValue, { nullable: true })
  density?: ListDensityValue | null;

  @Field(() => ReadingPaneValue, { nullable: true })
  readingPane?: ReadingPaneValue | null;

  @Field(() => Boolean, { nullable: true })
  conversationView?: boolean | null;

  @Field(() => [SignatureInput], { nullable: true, description: 'The whole list, replacing the one stored' })
  signatures?: SignatureInput[] | null;

  @Field(() => [SendingIdentityInput], { nullable: true, description: 'The whole list, replacing the one stored' })
  identities?: SendingIdentityInput[] | null;
}
