import { Inject, UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessTokenService } from '../../../core/accounts/access-token.service.js';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { AuthService } from '../../../core/accounts/auth.service.js';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { AdminGuard, CurrentAdmin, forbidden } from '../../../core/graphql/admin.guard.js';
import type { GraphqlContext } from '../../../core/graphql/graphql-context.js';
import { loginArgumentsRefusal, loginRefused } from '../../../core/graphql/session.resolver.js';
import { AddressAllowList } from '../../../core/http/address-allow-list.js';
import { AdminIdentityModel, AdminSessionModel } from '../models/admin-session.model.js';

/** Label of the sessions WebAdmin opens, so a list of sessions tells them from the webmail's. */
const ADMIN_SESSION_LABEL = 'webadmin';

@Resolver()
export class AdminSessionResolver {
  private readonly allowList: AddressAllowList;

  constructor(
    private readonly auth: AuthService,
    private readonly tokens: AccessTokenService,
    private readonly accounts: AccountsService,
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
  ) {
    this.allowList = new AddressAllowList(config.adminAllow);
  }

  @Mutation(() => AdminSessionModel, {
    description: 'Signs a system or domain admin in to WebAdmin; returns a bearer token. The same lockout as every login; '
      + 'an account without an admin role is refused like a disabled one',
  })
  async adminLogin(@Args('email') email: string, @Args('password') password: string, @Context() context: GraphqlContext): Promise<AdminSessionModel> {
    if (!this.allowList.allows(context.remoteAddress)) throw forbidden();
    const refusal = loginArgumentsRefusal(email, password);
    if (refusal) throw refusal;
    const result = await this.auth.authenticate({ username: email, password, remoteAddress: context.remoteAddress, protocol: 'graphql', access: 'admin' });
    if (!result.ok) throw loginRefused(result.reason);
    const principal = await this.accounts.adminPrincipal(result.account);
    if (!principal) throw loginRefused('disabled');
    const issued = await this.tokens.issue(result.account.id, 'session', ADMIN_SESSION_LABEL);
    return { token: issued.secret, expiresAt: new Date(issued.expiresAt), admin: await this.identity(principal) };
  }

  @Query(() => AdminIdentityModel, { description: 'The signed-in administrator and its scope' })
  @UseGuards(AdminGuard)
  async adminMe(@CurrentAdmin() principal: AdminPrincipal): Promise<AdminIdentityModel> {
    return this.identity(principal);
  }

  private async identity(principal: AdminPrincipal): Promise<AdminIdentityModel> {
    const domains = principal.role === 'system_admin' ? [] : await this.accounts.adminDomainNames(principal.accountId);
    return { address: principal.address, role: principal.role, domains };
  }
}
