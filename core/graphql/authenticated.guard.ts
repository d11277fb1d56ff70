import { createParamDecorator, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Account } from '../accounts/account.js';
import { TwoFactorService } from '../accounts/two-factor.service.js';
import type { GraphqlContext } from './graphql-context.js';

export function unauthenticated(): GraphQLError {
  return new GraphQLError('authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
}

export function twoFactorSetupRequired(): GraphQLError {
  return new GraphQLError('the domain requires two-factor sign-in: enrol an authenticator app first', {
    extensions: { code: 'TWO_FACTOR_SETUP_REQUIRED' },
  });
}

const BEFORE_ENROLMENT = 'mailhive:allowedBeforeEnrolment';

/** Marks a field a session may use while its domain requires a second factor the account has not enrolled yet. */
export const AllowedBeforeEnrolment = () => SetMetadata(BEFORE_ENROLMENT, true);

type EnrolmentContext = GraphqlContext & { enrolmentRequired?: boolean };

/**
 * Whether the session's account still has to enrol a second factor its domain requires; asked once per request.
 * Such a session may use only the fields marked AllowedBeforeEnrolment (who am I, enrol, sign out).
 */
export async function mustEnrolFirst(context: ExecutionContext, reflector: Reflector, twoFactor: TwoFactorService): Promise<boolean> {
  const graphql = GqlExecutionContext.create(context).getContext<EnrolmentContext>();
  if (!graphql.account) return false;
  if (reflector.getAllAndOverride<boolean>(BEFORE_ENROLMENT, [context.getHandler(), context.getClass()])) return false;
  graphql.enrolmentRequired ??= await twoFactor.enrolmentRequired(graphql.account);
  return graphql.enrolmentRequired;
}

/** Lets a resolver run only for a caller with a valid session token (and the second factor its domain requires). */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const graphql = GqlExecutionContext.create(context).getContext<GraphqlContext>();
    if (!graphql.account) throw unauthenticated();
    if (await mustEnrolFirst(context, this.reflector, this.twoFactor)) throw twoFactorSetupRequired();
    return true;
  }
}

/** The authenticated account; use with AuthenticatedGuard. */
export const CurrentAccount = createParamDecorator((_data: unknown, context: ExecutionContext): Account => {
  const account = GqlExecutionContext.create(context).getContext<GraphqlContext>().account;
  if (!account) throw unauthenticated();
  return account;
});
