import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { AdminPrincipal } from '../accounts/admin-authorization.js';
import { AccountsService } from '../accounts/accounts.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { AddressAllowList } from '../http/address-allow-list.js';
import { Reflector } from '@nestjs/core';
import { TwoFactorService } from '../accounts/two-factor.service.js';
import { mustEnrolFirst, twoFactorSetupRequired, unauthenticated } from './authenticated.guard.js';
import type { GraphqlContext } from './graphql-context.js';

/**
 * The one refusal of every admin field: the same error whether the caller lacks the role, the scope, or the id does
 * not exist outside its scope, so a lower role learns nothing from it.
 */
export function forbidden(): GraphQLError {
  return new GraphQLError('not allowed', { extensions: { code: 'FORBIDDEN' } });
}

type AdminContext = GraphqlContext & { adminPrincipal?: AdminPrincipal };

/**
 * Lets an admin field run only for a signed-in system or domain admin from an address MAILHIVE_ADMIN_ALLOW admits.
 * The principal (with its scope, read afresh per request so a changed scope applies at once) is what resolvers
 * check with core/accounts/admin-authorization.ts.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly allowList: AddressAllowList;

  constructor(
    private readonly accounts: AccountsService,
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
    private readonly reflector: Reflector,
    private readonly twoFactor: TwoFactorService,
  ) {
    this.allowList = new AddressAllowList(config.adminAllow);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const graphql = GqlExecutionContext.create(context).getContext<AdminContext>();
    if (!this.allowList.allows(graphql.remoteAddress)) throw forbidden();
    if (!graphql.account) throw unauthenticated();
    graphql.adminPrincipal ??= (await this.accounts.adminPrincipal(graphql.account)) ?? undefined;
    if (!graphql.adminPrincipal) throw forbidden();
    if (await mustEnrolFirst(context, this.reflector, this.twoFactor)) throw twoFactorSetupRequired();
    return true;
  }
}

/** The admin making the request; use with AdminGuard. */
export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): AdminPrincipal => {
  const principal = GqlExecutionContext.create(context).getContext<AdminContext>().adminPrincipal;
  if (!principal) throw forbidden();
  return principal;
});
