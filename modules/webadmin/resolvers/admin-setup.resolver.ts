import { Inject, UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { ADMIN_SESSION_LABEL, AccessTokenService } from '../../../core/accounts/access-token.service.js';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { AdminGuard, CurrentAdmin, forbidden } from '../../../core/graphql/admin.guard.js';
import type { GraphqlContext } from '../../../core/graphql/graphql-context.js';
import { loginArgumentsRefusal } from '../../../core/graphql/session.resolver.js';
import { AddressAllowList } from '../../../core/http/address-allow-list.js';
import { ADMIN_COOKIES, isTlsRequest, webSessionCookies } from '../../../core/http/web-session-cookie.js';
import { AdminWebSessionModel } from '../models/admin-session.model.js';
import { AdminDnsRecordModel, AdminSetupInput, AdminSetupStatusModel } from '../models/admin-setup.model.js';
import { DomainDnsService } from '../services/domain-dns.service.js';
import { SetupService } from '../services/setup.service.js';

@Resolver()
export class AdminSetupResolver {
  private readonly allowList: AddressAllowList;

  constructor(
    private readonly setup: SetupService,
    private readonly dns: DomainDnsService,
    private readonly tokens: AccessTokenService,
    private readonly accounts: AccountsService,
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
  ) {
    this.allowList = new AddressAllowList(config.adminAllow);
  }

  @Query(() => AdminSetupStatusModel, { description: 'Whether WebAdmin opens its setup wizard; answered without a session' })
  async adminSetupStatus(@Context() context: GraphqlContext): Promise<AdminSetupStatusModel> {
    if (!this.allowList.allows(context.remoteAddress)) throw forbidden();
    return { needed: await this.setup.needed(), tokenRequired: this.setup.tokenRequired(context.remoteAddress) };
  }

  @Mutation(() => AdminWebSessionModel, {
    description:
      'The setup wizard: while no system admin exists, sets the host name and creates the first domain and ' +
      'system admin, then signs that admin in to WebAdmin (cookies as adminWebLogin). FORBIDDEN once an admin exists ' +
      'or without the setup token from a non-loopback client',
  })
  async adminSetup(@Args('input') input: AdminSetupInput, @Context() context: GraphqlContext): Promise<AdminWebSessionModel> {
    const response = context.req?.res;
    if (!response) throw new GraphQLError('adminSetup needs an HTTP request', { extensions: { code: 'BAD_REQUEST' } });
    if (!this.allowList.allows(context.remoteAddress)) throw forbidden();
    const refusal = loginArgumentsRefusal(input.address, input.password);
    if (refusal) throw refusal;
    const accountId = await this.setup.run({ ...input, token: input.token ?? null, clientAddress: context.remoteAddress });
    const issued = await this.tokens.issue(accountId, 'session', ADMIN_SESSION_LABEL);
    const cookies = webSessionCookies(issued.secret, issued.expiresAt, isTlsRequest(context.req), Date.now(), ADMIN_COOKIES);
    response.append('Set-Cookie', cookies.setCookie);
    const address = (await this.accounts.findUser(input.address))?.address ?? input.address;
    return { csrfToken: cookies.csrfToken, expiresAt: new Date(issued.expiresAt), admin: { address, role: 'system_admin', domains: [] } };
  }

  @Query(() => [AdminDnsRecordModel], { description: 'The DNS records a domain should publish; with check, whether DNS shows each' })
  @UseGuards(AdminGuard)
  adminDnsRecords(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('domain') domain: string,
    @Args('check', { defaultValue: false }) check: boolean,
  ): Promise<AdminDnsRecordModel[]> {
    return this.dns.records(principal, domain, check);
  }
}
