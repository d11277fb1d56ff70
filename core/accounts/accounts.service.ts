import { generateKeyPairSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { aliasLoop } from './alias-loop.js';
import { MailboxService } from '../mail/mailbox.service.js';
import type { AuditActorLike } from '../audit/audit-log.js';
import { recordAudit } from '../store/repositories/audit-log.repository.js';
import type { AccountProtocol } from './account-access.js';
import type { Account } from './account.js';
import type { Alias } from './alias.js';
import type { Domain } from './domain.js';
import type { AccountRole, Principal } from './principal.js';
import type { AdminPrincipal } from './admin-authorization.js';
import {
  deleteAdminScopeOf,
  deleteDomainFromScopes,
  loadAdminScope,
  replaceDomainScope,
} from '../store/repositories/admin-scope.repository.js';
import {
  accountCountsByDomain,
  accountExists,
  aliasExists,
  anyAccountWithRole,
  aliasTargets,
  clearCatchAllsOf,
  deleteAccount,
  deleteAlias,
  deleteDomain,
  domainMembers,
  domainsByIds,
  domainsByNames,
  findAccount,
  findDomainByName,
  insertAccount,
  insertAlias,
  insertDomain,
  listAccounts,
  listAliases,
  listDomains,
  setCatchAll,
  setPasswordHash,
  updateAccount,
  type AccountColumns,
} from '../store/repositories/directory.repository.js';
import { StoreService, type StoreTransaction } from '../store/store.service.js';
import { deleteTokensOf, hashSecret } from '../store/repositories/access-token.repository.js';
import { deleteDomainSecurity, deleteSecondFactor } from '../store/repositories/second-factor.repository.js';
import type { AccountPage, AccountQuery } from './account-query.js';
import { findAccountPage } from '../store/repositories/account-directory.repository.js';
import { UploadRepository } from '../store/repositories/upload.repository.js';
import { AccountsError } from './accounts.errors.js';
import { normalizeDomain, parseAddress } from '../envelope/address.js';
import { deleteThrottleRowsOf } from '../store/repositories/login-throttle.repository.js';
import { hashPassword } from './password-hash.js';

/** Tokens a password change ended. */
export interface RevokedTokens {
  sessions: number;
  appPasswords: number;
}

export interface OwnPasswordChange {
  /** The session making the change, which stays valid. */
  keepSessionSecret: string | null;
  revokeAppPasswords: boolean;
}

export interface NewUser {
  address: string;
  password: string;
  displayName?: string;
  quotaBytes?: number;
  role?: AccountRole;
  /** The domains a domain admin administers; required with role domain_admin, refused with any other. */
  adminDomains?: string[];
  protocols?: AccountProtocol[];
  /** See Account.expiresAt; 0 = never. */
  expiresAt?: number;
}

/** What an administrator may change on a user; absent fields stay as they are. */
export interface UserChanges {
  quotaBytes?: number;
  enabled?: boolean;
  displayName?: string;
  role?: AccountRole;
  /** The domain admin's domains (with role domain_admin, given or already held). */
  adminDomains?: string[];
  protocols?: AccountProtocol[];
  expiresAt?: number;
}

/** The longest display name (the column's size). */
export const MAX_DISPLAY_NAME_LENGTH = 200;

const MIN_PASSWORD_LENGTH = 8;
/** Longer passwords are refused rather than fed to the key derivation: a client chooses this size. */
const MAX_PASSWORD_LENGTH = 1024;

/** Domains, users, aliases and distribution lists. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly store: StoreService,
    private readonly mailboxes: MailboxService,
    private readonly uploads: UploadRepository,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  async addDomain(name: string, actor: AuditActorLike = 'system'): Promise<Domain> {
    const domain = normalizeDomain(name);
    if (!domain || (!domain.includes('.') && domain !== 'localhost')) {
      throw new AccountsError('INVALID_DOMAIN', `"${name}" is not a domain name`);
    }
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.store.transaction(async (manager) => {
      if (await findDomainByName(manager, domain)) {
        throw new AccountsError('DOMAIN_EXISTS', `domain ${domain} already exists`);
      }
      const saved = await insertDomain(manager, {
        name: domain,
        catchAll: null,
        dkimSelector: 'mailhive',
        dkimPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        createdAt: Date.now(),
      });
      await recordAudit(manager, actor, 'domain.add', domain, null, saved.id);
      return saved;
    });
  }

  async listDomains(): Promise<Domain[]> {
    return listDomains(this.store.reader);
  }

  async findDomain(name: string): Promise<Domain | null> {
    const domain = normalizeDomain(name);
    return domain ? findDomainByName(this.store.reader, domain) : null;
  }

  /**
   * Sets (or with null removes) the address that takes mail for unknown local parts of a domain. It must be a user or
   * alias we host, so that a catch-all never quietly turns every unknown address into a refusal or an open forward.
   */
  async setCatchAll(name: string, target: string | null, actor: AuditActorLike = 'system'): Promise<Domain> {
    const parsedTarget = target === null ? null : parseAddress(target);
    if (target !== null && !parsedTarget) throw new AccountsError('INVALID_TARGET', `"${target}" is not an email address`);
    return this.store.transaction(async (manager) => {
      const domain = await findDomainByName(manager, normalizeDomain(name) ?? '');
      if (!domain) throw new AccountsError('UNKNOWN_DOMAIN', `domain ${name} does not exist`);
      const catchAll = parsedTarget?.normalized ?? null;
      if (catchAll && !(await accountExists(manager, catchAll)) && !(await aliasExists(manager, catchAll))) {
        throw new AccountsError('INVALID_TARGET', `${catchAll} is neither a user nor an alias here`);
      }
      await setCatchAll(manager, domain.id, catchAll);
      await recordAudit(
        manager,
        actor,
        'domain.catch-all',
        domain.name,
        { before: { catchAll: domain.catchAll }, after: { catchAll } },
        domain.id,
      );
      return { ...domain, catchAll };
    });
  }

  /** Removes a domain that has no users and no aliases left. */
  async removeDomain(name: string, actor: AuditActorLike = 'system'): Promise<void> {
    await this.store.transaction(async (manager) => {
      const domain = await findDomainByName(manager, normalizeDomain(name) ?? '');
      if (!domain) throw new AccountsError('UNKNOWN_DOMAIN', `domain ${name} does not exist`);
      const { users, aliases } = await domainMembers(manager, domain.id);
      if (users + aliases > 0) {
        throw new AccountsError('DOMAIN_NOT_EMPTY', `domain ${domain.name} still has ${users} user(s) and ${aliases} alias(es)`);
      }
      await deleteDomain(manager, domain.id);
      await deleteDomainFromScopes(manager, domain.id);
      await deleteDomainSecurity(manager, domain.id);
      await recordAudit(manager, actor, 'domain.remove', domain.name, null, domain.id);
    });
  }

  async addUser(input: NewUser, actor: AuditActorLike = 'system'): Promise<Account> {
    const address = parseAddress(input.address);
    if (!address) throw new AccountsError('INVALID_ADDRESS', `"${input.address}" is not an email address`);
    checkPassword(input.password);
    checkDisplayName(input.displayName);
    const role = input.role ?? 'user';
    checkScopeFitsRole(role, input.adminDomains);
    const passwordHash = await hashPassword(input.password);
    return this.store.transaction(async (manager) => {
      const scope = input.adminDomains ? await domainIdsOf(manager, input.adminDomains) : [];
      const domain = await findDomainByName(manager, address.domain);
      if (!domain)
        throw new AccountsError(
          'UNKNOWN_DOMAIN',
          `domain ${address.domain} does not exist (add it with: mailhive domain add ${address.domain})`,
        );
      if (await accountExists(manager, address.normalized)) {
        throw new AccountsError('USER_EXISTS', `user ${address.normalized} already exists`);
      }
      if (await aliasExists(manager, address.normalized)) {
        throw new AccountsError('ADDRESS_TAKEN', `${address.normalized} is already an alias`);
      }
      const account = await insertAccount(manager, {
        address: address.normalized,
        domainId: domain.id,
        displayName: input.displayName ?? '',
        passwordHash,
        quotaBytes: input.quotaBytes ?? this.config.defaultQuota,
        usedBytes: 0,
        enabled: true,
        role,
        protocols: input.protocols ?? ['smtp', 'imap', 'pop3', 'webmail', 'mobile'],
        expiresAt: input.expiresAt ?? 0,
        createdAt: Date.now(),
      });
      await this.mailboxes.createDefaultMailboxes(manager, account.id);
      if (role === 'domain_admin') await replaceDomainScope(manager, account.id, scope);
      await recordAudit(
        manager,
        actor,
        'user.add',
        account.address,
        {
          after: {
            role: account.role,
            quotaBytes: account.quotaBytes,
            ...(input.adminDomains ? { adminDomains: input.adminDomains } : {}),
          },
        },
        domain.id,
      );
      return account;
    });
  }

  async listUsers(domain?: string): Promise<Account[]> {
    if (!domain) return listAccounts(this.store.reader);
    const found = await this.findDomain(domain);
    if (!found) throw new AccountsError('UNKNOWN_DOMAIN', `domain ${domain} does not exist`);
    return listAccounts(this.store.reader, found.id);
  }

  /** A page of the user table of WebAdmin: indexed search, sort and paging (see account-directory.repository.ts). */
  async searchUsers(query: AccountQuery): Promise<AccountPage> {
    return findAccountPage(this.store.reader, query);
  }

  /** The hosted domains with these ids (a domain admin's scope), by name. */
  async domainsByIds(ids: readonly number[] | null): Promise<Domain[]> {
    if (ids === null) return this.listDomains();
    return domainsByIds(this.store.reader, ids);
  }

  /** Users per domain id, for the domains page. */
  async userCounts(): Promise<Map<number, number>> {
    return accountCountsByDomain(this.store.reader);
  }

  async findUser(address: string): Promise<Account | null> {
    const parsed = parseAddress(address);
    return parsed ? findAccount(this.store.reader, { address: parsed.normalized }) : null;
  }

  /** The account with this id, or null when it is gone. */
  async findUserById(id: number): Promise<Account | null> {
    return findAccount(this.store.reader, { id });
  }

  async getUser(address: string): Promise<Account> {
    const user = await this.findUser(address);
    if (!user) throw new AccountsError('UNKNOWN_USER', `user ${address} does not exist`);
    return user;
  }

  /**
   * An administrator's password reset: it ends every session and app password of the user (whoever knew the old
   * password may have made them) and lifts the user's login locks.
   */
  async setPassword(address: string, password: string, actor: AuditActorLike = 'system'): Promise<RevokedTokens> {
    checkPassword(password);
    const user = await this.getUser(address);
    const passwordHash = await hashPassword(password);
    return this.store.transaction(async (manager) => {
      await setPasswordHash(manager, user.id, passwordHash);
      const revoked = {
        sessions: await deleteTokensOf(manager, user.id, 'session'),
        appPasswords: await deleteTokensOf(manager, user.id, 'app_password'),
      };
      await deleteThrottleRowsOf(manager, user.address);
      await recordAudit(manager, actor, 'user.passwd', user.address, { ...revoked }, user.domainId);
      return revoked;
    });
  }

  /**
   * A user's change of their own password (the caller has verified the current one): every other session ends,
   * and the app passwords too when asked.
   */
  async changeOwnPassword(accountId: number, password: string, options: OwnPasswordChange): Promise<RevokedTokens> {
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    return this.store.transaction(async (manager) => {
      const user = await findAccount(manager, { id: accountId });
      if (!user) throw new AccountsError('UNKNOWN_USER', `user ${accountId} does not exist`);
      await setPasswordHash(manager, user.id, passwordHash);
      const keep = options.keepSessionSecret === null ? null : hashSecret(options.keepSessionSecret);
      const revoked = {
        sessions: await deleteTokensOf(manager, user.id, 'session', keep),
        appPasswords: options.revokeAppPasswords ? await deleteTokensOf(manager, user.id, 'app_password') : 0,
      };
      await recordAudit(
        manager,
        { name: user.address, role: user.role, clientAddress: '' },
        'user.password-change',
        user.address,
        { ...revoked },
        user.domainId,
      );
      return revoked;
    });
  }

  /**
   * Changes a user; the audit entry holds each changed field before and after. A role other than domain_admin drops
   * the admin's scope; domain_admin needs a non-empty set of domains.
   */
  async updateUser(address: string, changes: UserChanges, actor: AuditActorLike = 'system'): Promise<Account> {
    checkDisplayName(changes.displayName);
    const user = await this.getUser(address);
    const role = changes.role ?? user.role;
    if (changes.adminDomains !== undefined || (changes.role !== undefined && changes.role !== user.role)) {
      checkScopeFitsRole(role, changes.adminDomains ?? (role === 'domain_admin' ? await this.adminDomainNames(user.id) : undefined));
    }
    return this.store.transaction(async (manager) => {
      const { adminDomains, ...columns } = changes;
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(columns) as [keyof typeof columns, unknown][]) {
        if (value === undefined || JSON.stringify(user[key]) === JSON.stringify(value)) continue;
        before[key] = user[key];
        after[key] = value;
      }
      if (Object.keys(after).length > 0) await updateAccount(manager, user.id, after as AccountColumns);
      if (adminDomains !== undefined) {
        before.adminDomains = await domainsOfScope(manager, user.id);
        await replaceDomainScope(manager, user.id, await domainIdsOf(manager, adminDomains));
        after.adminDomains = await domainsOfScope(manager, user.id);
      } else if (role !== 'domain_admin' && user.role === 'domain_admin') {
        before.adminDomains = await domainsOfScope(manager, user.id);
        await deleteAdminScopeOf(manager, user.id);
      }
      await recordAudit(manager, actor, 'user.update', user.address, { before, after }, user.domainId);
      return (await findAccount(manager, { id: user.id }))!;
    });
  }

  /** Lifts every login lockout of the user (from any network) without changing its password. */
  async unlockUser(address: string, actor: AuditActorLike = 'system'): Promise<void> {
    const user = await this.getUser(address);
    await this.store.transaction(async (manager) => {
      await deleteThrottleRowsOf(manager, user.address);
      await recordAudit(manager, actor, 'user.unlock', user.address, null, user.domainId);
    });
  }

  /** Whether any system admin exists (none: WebAdmin offers its setup wizard). */
  async hasSystemAdmin(): Promise<boolean> {
    return anyAccountWithRole(this.store.reader, 'system_admin');
  }

  /** The names of the domains a domain admin administers. */
  async adminDomainNames(accountId: number): Promise<string[]> {
    return domainsOfScope(this.store.reader, accountId);
  }

  /** The account as an administrator, with its scope; null for a user without an admin role. */
  async adminPrincipal(account: Pick<Principal, 'id' | 'address' | 'role'>): Promise<AdminPrincipal | null> {
    if (account.role === 'system_admin') return { role: 'system_admin', accountId: account.id, address: account.address };
    if (account.role !== 'domain_admin') return null;
    return {
      role: 'domain_admin',
      accountId: account.id,
      address: account.address,
      scope: await loadAdminScope(this.store.reader, account.id),
    };
  }

  /** Removes the user, its mailboxes, messages, sessions, app passwords and uploads; blobs are freed by the sweeper. */
  async removeUser(address: string, actor: AuditActorLike = 'system'): Promise<void> {
    const user = await this.getUser(address);
    await this.store.transaction(async (manager) => {
      await this.mailboxes.deleteAllOf(manager, user.id);
      await deleteTokensOf(manager, user.id, 'session');
      await deleteTokensOf(manager, user.id, 'app_password');
      await deleteSecondFactor(manager, user.id);
      await this.uploads.deleteAllOf(manager, user.id);
      await deleteThrottleRowsOf(manager, user.address);
      await deleteAdminScopeOf(manager, user.id);
      await deleteAccount(manager, user.id);
      await clearCatchAllsOf(manager, user.address);
      await recordAudit(
        manager,
        actor,
        'user.remove',
        user.address,
        { before: { role: user.role, usedBytes: user.usedBytes } },
        user.domainId,
      );
    });
  }

  /** Adds an alias (one target) or a distribution list (several targets). */
  async addAlias(address: string, targets: string[], actor: AuditActorLike = 'system'): Promise<Alias> {
    const parsed = parseAddress(address);
    if (!parsed) throw new AccountsError('INVALID_ADDRESS', `"${address}" is not an email address`);
    if (targets.length === 0) throw new AccountsError('INVALID_TARGET', 'an alias needs at least one target address');
    const normalizedTargets = targets.map((target) => {
      const parsedTarget = parseAddress(target);
      if (!parsedTarget) throw new AccountsError('INVALID_TARGET', `"${target}" is not an email address`);
      return parsedTarget.normalized;
    });
    return this.store.transaction(async (manager) => {
      const domain = await findDomainByName(manager, parsed.domain);
      if (!domain) throw new AccountsError('UNKNOWN_DOMAIN', `domain ${parsed.domain} does not exist`);
      if (await accountExists(manager, parsed.normalized)) {
        throw new AccountsError('ADDRESS_TAKEN', `${parsed.normalized} is already a user`);
      }
      if (await aliasExists(manager, parsed.normalized)) {
        throw new AccountsError('ADDRESS_TAKEN', `alias ${parsed.normalized} already exists`);
      }
      // Mail to a loop could never arrive anywhere (delivery answers 550 5.4.6), so it is refused here.
      const loop = await aliasLoop((target) => aliasTargets(manager, target), parsed.normalized, normalizedTargets);
      if (loop) throw new AccountsError('INVALID_TARGET', `alias ${parsed.normalized} would form a loop: ${loop.join(' -> ')}`);
      const alias = await insertAlias(manager, {
        address: parsed.normalized,
        domainId: domain.id,
        targets: normalizedTargets,
        createdAt: Date.now(),
      });
      await recordAudit(manager, actor, 'alias.add', alias.address, { targets: normalizedTargets }, domain.id);
      return alias;
    });
  }

  async listAliases(): Promise<Alias[]> {
    return listAliases(this.store.reader);
  }

  async removeAlias(address: string, actor: AuditActorLike = 'system'): Promise<void> {
    const parsed = parseAddress(address);
    await this.store.transaction(async (manager) => {
      if (!(await deleteAlias(manager, parsed?.normalized ?? '')))
        throw new AccountsError('UNKNOWN_USER', `alias ${address} does not exist`);
      await clearCatchAllsOf(manager, parsed!.normalized);
      await recordAudit(manager, actor, 'alias.remove', address);
    });
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountsError('INVALID_PASSWORD', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AccountsError('INVALID_PASSWORD', `the password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

function checkDisplayName(name: string | undefined): void {
  if (name !== undefined && name.length > MAX_DISPLAY_NAME_LENGTH) {
    throw new AccountsError('INVALID_NAME', `the name must have at most ${MAX_DISPLAY_NAME_LENGTH} characters`);
  }
}

/** A domain admin needs domains to administer; nobody else has any. */
function checkScopeFitsRole(role: AccountRole, adminDomains: string[] | undefined): void {
  if (role === 'domain_admin' && (!adminDomains || adminDomains.length === 0)) {
    throw new AccountsError('INVALID_SCOPE', 'a domain admin needs at least one domain (--domains a.org,b.org)');
  }
  if (role !== 'domain_admin' && adminDomains && adminDomains.length > 0) {
    throw new AccountsError('INVALID_SCOPE', 'only a domain admin administers domains');
  }
}

/** The ids of hosted domains by name; an unknown name is refused. */
async function domainIdsOf(manager: StoreTransaction, names: string[]): Promise<number[]> {
  const normalized = [...new Set(names.map((name) => normalizeDomain(name) ?? name))];
  const found = await domainsByNames(manager, normalized);
  const missing = normalized.filter((name) => !found.some((domain) => domain.name === name));
  if (missing.length > 0) throw new AccountsError('UNKNOWN_DOMAIN', `domain ${missing[0]} does not exist`);
  return found.map((domain) => domain.id).sort((a, b) => a - b);
}

async function domainsOfScope(manager: StoreTransaction, accountId: number): Promise<string[]> {
  const scope = await loadAdminScope(manager, accountId);
  return (await domainsByIds(manager, scope.domainIds)).map((domain) => domain.name);
}
