// The rows of the directory: domains, accounts and aliases. Functions take the manager of the caller's transaction
// (or the store's reader), so a service composes them into one transaction without seeing SQL or entities.
import { In, type EntityManager } from 'typeorm';
import { toAccount, type Account } from '../../accounts/account.js';
import { AccountEntity } from '../entities/account.entity.js';
import { AliasEntity } from '../entities/alias.entity.js';
import { DomainEntity } from '../entities/domain.entity.js';

export type NewDomainRow = Pick<DomainEntity, 'name' | 'catchAll' | 'dkimSelector' | 'dkimPrivateKey' | 'createdAt'>;
export type NewAccountRow = Omit<Account, 'id'> & { passwordHash: string };
export type NewAliasRow = Pick<AliasEntity, 'address' | 'domainId' | 'targets' | 'createdAt'>;
/** The account columns an administrator changes. */
export type AccountColumns = Partial<Pick<Account, 'quotaBytes' | 'enabled' | 'displayName' | 'role' | 'protocols' | 'expiresAt'>>;

export function findDomainByName(manager: EntityManager, name: string): Promise<DomainEntity | null> {
  return manager.findOneBy(DomainEntity, { name });
}

export async function insertDomain(manager: EntityManager, row: NewDomainRow): Promise<DomainEntity> {
  return manager.save(manager.create(DomainEntity, row));
}

export function listDomains(manager: EntityManager): Promise<DomainEntity[]> {
  return manager.find(DomainEntity, { order: { name: 'ASC' } });
}

/** The domains with these ids, by name. */
export function domainsByIds(manager: EntityManager, ids: readonly number[]): Promise<DomainEntity[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return manager.find(DomainEntity, { where: { id: In([...ids]) }, order: { name: 'ASC' } });
}

export function domainsByNames(manager: EntityManager, names: readonly string[]): Promise<DomainEntity[]> {
  if (names.length === 0) return Promise.resolve([]);
  return manager.findBy(DomainEntity, { name: In([...names]) });
}

export async function setCatchAll(manager: EntityManager, domainId: number, catchAll: string | null): Promise<void> {
  await manager.update(DomainEntity, { id: domainId }, { catchAll });
}

/** A catch-all naming an address that is gone would refuse every unknown local part; the domain goes without one. */
export async function clearCatchAllsOf(manager: EntityManager, address: string): Promise<void> {
  await manager.update(DomainEntity, { catchAll: address }, { catchAll: null });
}

export async function deleteDomain(manager: EntityManager, domainId: number): Promise<void> {
  await manager.delete(DomainEntity, { id: domainId });
}

/** Users and aliases of a domain. */
export async function domainMembers(manager: EntityManager, domainId: number): Promise<{ users: number; aliases: number }> {
  return { users: await manager.countBy(AccountEntity, { domainId }), aliases: await manager.countBy(AliasEntity, { domainId }) };
}

export async function findAccount(manager: EntityManager, where: { address: string } | { id: number }): Promise<Account | null> {
  const row = await manager.findOneBy(AccountEntity, where);
  return row ? toAccount(row) : null;
}

/** The enabled account with this id, or null. */
export async function findEnabledAccount(manager: EntityManager, id: number): Promise<Account | null> {
  const row = await manager.findOneBy(AccountEntity, { id, enabled: true });
  return row ? toAccount(row) : null;
}

/** The account at `address` with its password hash, for the one place that verifies passwords (AuthService). */
export async function findCredentials(manager: EntityManager, address: string): Promise<{ account: Account; passwordHash: string } | null> {
  const row = await manager.findOneBy(AccountEntity, { address });
  return row ? { account: toAccount(row), passwordHash: row.passwordHash } : null;
}

/** Whether any account has the role (no system admin yet: WebAdmin offers its setup wizard). */
export async function anyAccountWithRole(manager: EntityManager, role: AccountEntity['role']): Promise<boolean> {
  return (await manager.countBy(AccountEntity, { role })) > 0;
}

export function accountExists(manager: EntityManager, address: string): Promise<boolean> {
  return manager.existsBy(AccountEntity, { address });
}

export async function insertAccount(manager: EntityManager, row: NewAccountRow): Promise<Account> {
  return toAccount(await manager.save(manager.create(AccountEntity, row)));
}

/** Every account, or a domain's, by address. */
export async function listAccounts(manager: EntityManager, domainId?: number): Promise<Account[]> {
  const rows = await manager.find(AccountEntity, { ...(domainId === undefined ? {} : { where: { domainId } }), order: { address: 'ASC' } });
  return rows.map(toAccount);
}

/** Users per domain id. */
export async function accountCountsByDomain(manager: EntityManager): Promise<Map<number, number>> {
  const rows = await manager
    .createQueryBuilder(AccountEntity, 'account')
    .select('account.domainId', 'domainId')
    .addSelect('COUNT(*)', 'users')
    .groupBy('account.domainId')
    .getRawMany<{ domainId: number | string; users: number | string }>();
  return new Map(rows.map((row) => [Number(row.domainId), Number(row.users)]));
}

export async function updateAccount(manager: EntityManager, id: number, columns: AccountColumns): Promise<void> {
  await manager.update(AccountEntity, { id }, columns);
}

export async function setPasswordHash(manager: EntityManager, id: number, passwordHash: string): Promise<void> {
  await manager.update(AccountEntity, { id }, { passwordHash });
}

export async function deleteAccount(manager: EntityManager, id: number): Promise<void> {
  await manager.delete(AccountEntity, { id });
}

export function aliasExists(manager: EntityManager, address: string): Promise<boolean> {
  return manager.existsBy(AliasEntity, { address });
}

/** The targets of the alias at `address`, or null when there is none. */
export async function aliasTargets(manager: EntityManager, address: string): Promise<string[] | null> {
  return (await manager.findOneBy(AliasEntity, { address }))?.targets ?? null;
}

export async function insertAlias(manager: EntityManager, row: NewAliasRow): Promise<AliasEntity> {
  return manager.save(manager.create(AliasEntity, row));
}

export function listAliases(manager: EntityManager): Promise<AliasEntity[]> {
  return manager.find(AliasEntity, { order: { address: 'ASC' } });
}

/** False when there was no such alias. */
export async function deleteAlias(manager: EntityManager, address: string): Promise<boolean> {
  return ((await manager.delete(AliasEntity, { address })).affected ?? 0) > 0;
}
