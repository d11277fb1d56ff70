import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { domainsInScope, mayAdministerDomain, mayManageDomains, type AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { TwoFactorService } from '../../../core/accounts/two-factor.service.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { AdminGuard, CurrentAdmin, forbidden } from '../../../core/graphql/admin.guard.js';
import type { GraphqlContext } from '../../../core/graphql/graphql-context.js';
import { AdminDomainModel } from '../models/admin-domain.model.js';
import { accountsCall, badInput } from '../services/admin-errors.js';
import { actorOf } from '../services/admin-users.service.js';

/** RFC 1035 §2.3.4: no domain name is longer. */
const MAX_DOMAIN_LENGTH = 253;

/** A domain as the accounts service gives it. */
type Domain = Awaited<ReturnType<AccountsService['domainsByIds']>>[number];

function toModel(domain: Domain, users: number, requireTwoFactor: boolean): AdminDomainModel {
  return {
    id: String(domain.id),
    name: domain.name,
    users,
    catchAll: domain.catchAll,
    createdAt: new Date(domain.createdAt),
    requireTwoFactor,
  };
}

@Resolver()
@UseGuards(AdminGuard)
export class AdminDomainsResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @Query(() => [AdminDomainModel], { description: 'The domains the admin administers (a system admin: all), by name' })
  async adminDomains(@CurrentAdmin() principal: AdminPrincipal): Promise<AdminDomainModel[]> {
    const [domains, counts] = await Promise.all([this.accounts.domainsByIds(domainsInScope(principal)), this.accounts.userCounts()]);
    const requiring = await this.twoFactor.domainsRequiring(domains.map((domain) => domain.id));
    return domains.map((domain) => toModel(domain, counts.get(domain.id) ?? 0, requiring.has(domain.id)));
  }

  @Mutation(() => AdminDomainModel, { description: 'Hosts a new domain (system admins)' })
  async adminAddDomain(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('name') name: string,
    @Context() context: GraphqlContext,
  ): Promise<AdminDomainModel> {
    if (!mayManageDomains(principal)) throw forbidden();
    if (name.length > MAX_DOMAIN_LENGTH) throw badInput(`a domain name has at most ${MAX_DOMAIN_LENGTH} characters`);
    const domain = await accountsCall(() => this.accounts.addDomain(name, actorOf(principal, context.remoteAddress)));
    return toModel(domain, 0, false);
  }

  @Mutation(() => AdminDomainModel, {
    description: "Requires (or no longer requires) the domain's users to sign in with a second factor (audited)",
  })
  async adminSetDomainTwoFactorRequired(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('name') name: string,
    @Args('required') required: boolean,
    @Context() context: GraphqlContext,
  ): Promise<AdminDomainModel> {
    if (name.length > MAX_DOMAIN_LENGTH) throw badInput(`a domain name has at most ${MAX_DOMAIN_LENGTH} characters`);
    const domain = await this.accounts.findDomain(name);
    // An unknown domain and one outside the scope are refused alike, so the answer tells nothing.
    if (!domain || !mayAdministerDomain(principal, domain.id)) throw forbidden();
    await this.twoFactor.setDomainRequirement(domain, required, actorOf(principal, context.remoteAddress));
    return toModel(domain, (await this.accounts.userCounts()).get(domain.id) ?? 0, required);
  }

  @Mutation(() => Boolean, { description: 'Removes a domain that has no users and no aliases left (system admins)' })
  async adminRemoveDomain(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('name') name: string,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    if (!mayManageDomains(principal)) throw forbidden();
    if (name.length > MAX_DOMAIN_LENGTH) throw badInput(`a domain name has at most ${MAX_DOMAIN_LENGTH} characters`);
    await accountsCall(() => this.accounts.removeDomain(name, actorOf(principal, context.remoteAddress)));
    return true;
  }
}
