import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('MessageText', { description: "A message's body as plain text, for apps that show text only" })
export class MessageTextModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The first plain-text body, else the HTML body read as text; empty when there is neither' })
  text: string;

  @Field({ description: 'Whether the body (in its transfer encoding) was longer than maxBytes and was cut there' })
  truncated: boolean;
}
