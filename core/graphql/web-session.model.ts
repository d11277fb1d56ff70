import { Field, ObjectType } from '@nestjs/graphql';
import { AccountModel } from './account.model.js';

@ObjectType('WebSession', {
  description:
    'A web client session: the token is in the HttpOnly cookie mailhive_session, never in the response. ' +
    'Requests the cookie authenticates send the header `X-CSRF-Token: <csrfToken>` (also in the readable cookie mailhive_csrf)',
})
export class WebSessionModel {
  @Field({ description: 'Value for the X-CSRF-Token header (HTTP) and connectionParams.csrf (graphql-ws)' })
  csrfToken: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => AccountModel)
  account: AccountModel;
}
