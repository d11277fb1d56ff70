import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Account } from '../accounts/account.js';
import type { GraphqlContext } from './graphql-context.js';

export function unauthenticated(): GraphQLError {
  return new GraphQLError('authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
}

/** Lets a resolver run only for a caller with a valid session token. */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const graphql = GqlExecutionContext.create(context).getContext<GraphqlContext>();
    if (!graphql.account) throw unauthenticated();
    return true;
  }
}

/** The authenticated account; use with AuthenticatedGuard. */
export const CurrentAccount = createParamDecorator((_data: unknown, context: ExecutionContext): Account => {
  const account = GqlExecutionContext.create(context).getContext<GraphqlContext>().account;
  if (!account) throw unauthenticated();
  return account;
});
