import { Injectable } from '@nestjs/common';
import { isAccountProtocol, type AccountProtocol } from '../../../core/accounts/account-access.js';
import type { AccountSort } from '../../../core/accounts/account-query.js';
import {
  domainsInScope,
  mayAdministerDomain,
  mayGrantRole,
  mayModifyAccount,
  mayViewAccount,
  type AdminPrincipal,
  type AccountRole,
} from '../../../core/accounts/admin-authorization.js';
import { AccountsService, type UserChanges } from '../../../core/accounts/accounts.service.js';
import { parseAddress } from '../../../core/envelope/address.js';
import type { AuditActor } from '../../../core/audit/audit-log.js';
import { TwoFactorService } from '../../../core/accounts/two-factor.service.js';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import type { AdminUserCreateInput, AdminUserUpdateInput } from '../inputs/admin-user.input.js';
import type { AdminUserModel, AdminUserPageModel } from '../models/admin-user.model.js';
import { accountsCall, badInput, cannot, notFound } from './admin-errors.js';
import { ADMIN_LIMITS } from './admin-limits.js';

/** An account as the accounts service gives it. */
type Account = Awaited<ReturnType<AccountsService['getUser']>>;

const ROLES: readonly AccountRole[] = ['user', 'domain_admin', 'system_admin'];

export interface UserPageRequest {
  search: string;
  sort: AccountSort;
  descending: boolean;
  offset: number;
  limit: number;
}

export function actorOf(principal: AdminPrincipal, clientAddress: string): AuditActor {
  return { name: principal.address, role: principal.role, clientAddress };
}

function roleOf(value: string | undefined): AccountRole | undefined {
  if (value === undefined) return undefined;
  if (!(ROLES as readonly string[]).includes(value)) throw badInput(`role must be one of ${ROLES.join(', ')}`);
  return value as AccountRole;
}

function protocolsOf(values: string[] | undefined): AccountProtocol[] | undefined {
  if (values === undefined) return undefined;
  if (values.length > 5 || !values.every(isAccountProtocol)) throw badInput('protocols are smtp, imap, pop3, webmail, mobile');
  return [...new Set(values)];
}

function quotaOf(value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0))
    throw badInput('quotaBytes must be a whole number of bytes, 0 or more');
  return value;
}

function scopeOf(values: string[] | undefined): string[] | undefined {
  if (values !== undefined && values.length > ADMIN_LIMITS.maxScopeDomains)
    throw badInput(`at most ${ADMIN_LIMITS.maxScopeDomains} domains`);
  return values;
}

/** Users in WebAdmin: every call checks the principal's rights (admin-authorization.ts) before it touches anything. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async page(principal: AdminPrincipal, request: UserPageRequest): Promise<AdminUserPageModel> {
    if (request.search.length > ADMIN_LIMITS.maxSearchLength)
      throw badInput(`search may have at most ${ADMIN_LIMITS.maxSearchLength} characters`);
    if (!Number.isSafeInteger(request.offset) || request.offset < 0 || request.offset > ADMIN_LIMITS.maxOffset)
      throw badInput('offset out of range');
    if (!Number.isSafeInteger(request.limit) || request.limit < 1 || request.limit > ADMIN_LIMITS.maxPageSize) {
      throw badInput(`limit must be 1 to ${ADMIN_LIMITS.maxPageSize}`);
    }
    const page = await this.accounts.searchUsers({ ...request, domainIds: domainsInScope(principal), search: request.search.trim() });
    return { total: page.total, users: await this.toModels(page.accounts) };
  }

  async create(principal: AdminPrincipal, input: AdminUserCreateInput, clientAddress: string): Promise<AdminUserModel> {
    const role = roleOf(input.role) ?? 'user';
    await this.domainInScope(principal, input.address);
    if (!mayGrantRole(principal, role) || (input.adminDomains !== undefined && principal.role !== 'system_admin')) throw forbidden();
    const account = await accountsCall(() =>
      this.accounts.addUser(
        {
          address: input.address,
          password: input.password,
          displayName: input.displayName,
          quotaBytes: quotaOf(input.quotaBytes),
          role,
          adminDomains: scopeOf(input.adminDomains),
          protocols: protocolsOf(input.protocols),
          expiresAt: input.expiresAt?.getTime(),
        },
        actorOf(principal, clientAddress),
      ),
    );
    return (await this.toModels([account]))[0]!;
  }

  async update(principal: AdminPrincipal, address: string, input: AdminUserUpdateInput, clientAddress: string): Promise<AdminUserModel> {
    const user = await this.modifiable(principal, address);
    const role = roleOf(input.role);
    if (role !== undefined && role !== user.role && !mayGrantRole(principal, role)) throw forbidden();
    if (input.adminDomains !== undefined && principal.role !== 'system_admin') throw forbidden();
    if (user.id === principal.accountId && (input.disabled === true || (role !== undefined && role !== user.role))) {
      throw cannot('administrators cannot disable themselves or change their own role');
    }
    if (input.neverExpires && input.expiresAt) throw badInput('give expiresAt or neverExpires, not both');
    const changes: UserChanges = {
      displayName: input.displayName,
      quotaBytes: quotaOf(input.quotaBytes),
      role,
      adminDomains: scopeOf(input.adminDomains),
      enabled: input.disabled === undefined ? undefined : !input.disabled,
      protocols: protocolsOf(input.protocols),
      expiresAt: input.neverExpires ? 0 : input.expiresAt?.getTime(),
    };
    const updated = await accountsCall(() => this.accounts.updateUser(user.address, changes, actorOf(principal, clientAddress)));
    return (await this.toModels([updated]))[0]!;
  }

  async resetPassword(principal: AdminPrincipal, address: string, password: string, clientAddress: string): Promise<boolean> {
    const user = await this.modifiable(principal, address);
    await accountsCall(() => this.accounts.setPassword(user.address, password, actorOf(principal, clientAddress)));
    return true;
  }

  async unlock(principal: AdminPrincipal, address: string, clientAddress: string): Promise<boolean> {
    const user = await this.modifiable(principal, address);
    await accountsCall(() => this.accounts.unlockUser(user.address, actorOf(principal, clientAddress)));
    return true;
  }

  /** Turns the user's two-factor sign-in off (audited), for a user who lost the authenticator and the recovery codes. */
  async resetTwoFactor(principal: AdminPrincipal, address: string, clientAddress: string): Promise<boolean> {
    const user = await this.modifiable(principal, address);
    await this.twoFactor.reset(user, actorOf(principal, clientAddress));
    return true;
  }

  async remove(principal: AdminPrincipal, address: string, clientAddress: string): Promise<boolean> {
    const user = await this.modifiable(principal, address);
    if (user.id === principal.accountId) throw cannot('administrators cannot delete themselves');
    await accountsCall(() => this.accounts.removeUser(user.address, actorOf(principal, clientAddress)));
    return true;
  }

  /**
   * The user at `address` if the principal may change it. Outside its scope the answer is FORBIDDEN whether or not
   * the user exists; NOT_FOUND only inside it.
   */
  private async modifiable(principal: AdminPrincipal, address: string): Promise<Account> {
    await this.domainInScope(principal, address);
    const user = await this.accounts.findUser(address);
    if (!user) throw notFound();
    if (!mayViewAccount(principal, user) || !mayModifyAccount(principal, user)) throw forbidden();
    return user;
  }

  /** Refuses an address whose domain is outside the principal's scope (an unknown domain is outside every scope). */
  private async domainInScope(principal: AdminPrincipal, address: string): Promise<void> {
    const parsed = parseAddress(address);
    if (principal.role === 'system_admin') {
      if (!parsed) throw badInput(`"${address.slice(0, 320)}" is not an email address`);
      return;
    }
    const domain = parsed ? await this.accounts.findDomain(parsed.domain) : null;
    if (!domain || !mayAdministerDomain(principal, domain.id)) throw forbidden();
  }

  private async toModels(accounts: Account[]): Promise<AdminUserModel[]> {
    const domains = new Map((await this.accounts.listDomains()).map((domain) => [domain.id, domain.name]));
    const withTwoFactor = await this.twoFactor.enabledAmong(accounts.map((account) => account.id));
    return Promise.all(
      accounts.map(async (account) => ({
        id: String(account.id),
        address: account.address,
        domain: domains.get(account.domainId) ?? '',
        displayName: account.displayName,
        role: account.role,
        adminDomains: account.role === 'domain_admin' ? await this.accounts.adminDomainNames(account.id) : [],
        quotaBytes: account.quotaBytes,
        usedBytes: account.usedBytes,
        disabled: !account.enabled,
        protocols: account.protocols,
        expiresAt: account.expiresAt > 0 ? new Date(account.expiresAt) : null,
        createdAt: new Date(account.createdAt),
        twoFactorEnabled: withTwoFactor.has(account.id),
      })),
    );
  }
}
